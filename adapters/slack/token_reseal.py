"""`rapport secrets reseal`: every installation's stored tokens (the bot token, and the refresh
token of a workspace with token rotation) sealed with the first key.

Run after putting a new key first in TOKEN_ENCRYPTION_KEYS (before dropping the old one), or
once after setting keys, to seal the tokens stored in plaintext before. A token already sealed
with the first key is left as it is, so a second run changes nothing.
"""

from dataclasses import dataclass, field

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.slack.tables import Installation
from bot.store.secrets_at_rest import Sealer, Unreadable


@dataclass
class Resealed:
    stored: int = 0
    changed: int = 0
    # "platform workspace" (or "platform org ..." for an org-wide install) of each token no
    # configured key opens.
    unreadable: list[str] = field(default_factory=list)


async def reseal_tokens(session: AsyncSession, sealer: Sealer) -> Resealed:
    rows = await session.exec(select(Installation).order_by(col(Installation.id)))
    done = Resealed()
    for row in rows.all():
        token, refresh = row.bot_token, row.bot_refresh_token
        stored = {"bot_token": token} | ({"bot_refresh_token": refresh} if refresh else {})
        done.stored += len(stored)
        try:
            fresh = {column: sealer.reseal(value) for column, value in stored.items()}
        except Unreadable:
            where = row.external_id or f"org {row.enterprise_id}"
            done.unreadable.append(f"{row.platform} {where}")
            continue
        changes = {column: value for column, value in fresh.items() if value is not None}
        if changes:
            # Only if unchanged since read: a reinstall or a token refresh meanwhile has
            # already sealed its new tokens.
            written = await session.exec(
                update(Installation)
                .where(
                    col(Installation.id) == row.id,
                    col(Installation.bot_token) == token,
                    col(Installation.bot_refresh_token).is_not_distinct_from(refresh),
                )
                .values(**changes)
            )
            done.changed += len(changes) * written.rowcount
    return done

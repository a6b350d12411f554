"""`rapport secrets reseal`: every installation's stored bot token sealed with the first key.

Run after putting a new key first in TOKEN_ENCRYPTION_KEYS (before dropping the old one), or
once after setting keys, to seal the tokens stored in plaintext before. A token already sealed
with the first key is left as it is, so a second run changes nothing.
"""

from dataclasses import dataclass, field

from sqlmodel import col, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Installation
from bot.secrets_at_rest import Sealer, Unreadable


@dataclass
class Resealed:
    stored: int = 0
    changed: int = 0
    # "platform workspace" of each token no configured key opens.
    unreadable: list[str] = field(default_factory=list)


async def reseal_tokens(session: AsyncSession, sealer: Sealer) -> Resealed:
    rows = await session.exec(
        select(
            Installation.id, Installation.platform, Installation.external_id, Installation.bot_token
        ).order_by(col(Installation.id))
    )
    done = Resealed()
    for row_id, platform, workspace, stored in rows.all():
        done.stored += 1
        try:
            fresh = sealer.reseal(stored)
        except Unreadable:
            done.unreadable.append(f"{platform} {workspace}")
            continue
        if fresh is not None:
            # Only if unchanged since read: a reinstall meanwhile has already sealed its new token.
            written = await session.exec(
                update(Installation)
                .where(col(Installation.id) == row_id, col(Installation.bot_token) == stored)
                .values(bot_token=fresh)
            )
            done.changed += written.rowcount
    return done

"""Slack token rotation: a workspace's bot token expires (after 12 hours) and its refresh token
gets the next one. Slack revokes a refresh token once used, so each is sent to Slack once.

Every replica may find a token near its end at the same moment. The refresh happens with the
installation row locked (FOR UPDATE on PostgreSQL; on SQLite every transaction holds the write
lock from BEGIN), and the row is read again under the lock: a replica that waited finds the
token another one refreshed meanwhile and uses it instead of refreshing again.

Expiry is wall-clock time, as Slack and slack-bolt count it, not the bot's clock.
"""

import asyncio
import functools
import logging
import time
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store import Installation as SlackInstallation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from sqlmodel import col, select

from adapters.slack.tables import Installation
from bot.store.db import Database
from bot.store.secrets_at_rest import Sealer, Unreadable

log = logging.getLogger(__name__)

# bolt refreshes a token this close to its expiry when a request comes (its default too).
ROTATION_MINUTES = 120
# We refresh a little earlier, under the row's lock: bolt then always finds a fresh token and
# never refreshes on its own, which no lock would guard.
REFRESH_AHEAD_SECONDS = (ROTATION_MINUTES + 5) * 60


def refresh_due(expires_at: datetime | None) -> float:
    """Seconds until a token expiring at `expires_at` should be refreshed (inf: never)."""
    if expires_at is None:
        return float("inf")
    return expires_at.timestamp() - REFRESH_AHEAD_SECONDS - time.time()


class TokenRefresher:
    def __init__(self, db: Database, sealer: Sealer, rotator: AsyncTokenRotator) -> None:
        self.db = db
        self.sealer = sealer
        self.rotator = rotator
        # Tasks of this process wait here rather than each holding a database connection.
        self._local: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    @staticmethod
    def due(row: Installation) -> bool:
        return row.bot_refresh_token is not None and refresh_due(row.bot_token_expires_at) <= 0

    async def fresh(self, row: Installation) -> Installation | None:
        """`row`, or the row with its token refreshed (here or by another replica); None when
        Slack refuses the refresh token (revoked, uninstalled) or no key opens it."""
        if not self.due(row) or row.id is None:
            return row
        async with self._local[row.id], self.db.session() as session:
            locked = await session.exec(
                select(Installation).where(col(Installation.id) == row.id).with_for_update()
            )
            current = locked.first()
            if current is None or not self.due(current):
                return current
            refreshed = await self._rotate(current)
            if refreshed is None:
                return None
            for column, value in stored_credentials(self.sealer, refreshed).items():
                setattr(current, column, value)
            return current

    async def _rotate(self, row: Installation) -> Bot | None:
        refresh = row.bot_refresh_token
        assert refresh is not None
        try:
            token, refresh_token = (self.sealer.open(row.bot_token), self.sealer.open(refresh))
            bot = _bot(row, token, refresh_token)
            rotated = await self.rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=REFRESH_AHEAD_SECONDS // 60
            )
        except Unreadable as unreadable:
            _report_refused(row.external_id, refresh, str(unreadable))
            return None
        except SlackTokenRotationError as refused:
            error = refused.api_error.response.get("error")
            _report_refused(row.external_id, refresh, f"Slack answered {error}")
            return None
        if rotated is None or not rotated.bot_refresh_token:
            _report_refused(row.external_id, refresh, "no bot token came back")
            return None
        return rotated


def stored_credentials(sealer: Sealer, given: Bot | SlackInstallation) -> dict[str, Any]:
    """The bot token, refresh token and expiry Slack gave, as an installation row keeps them:
    the tokens sealed, the expiry (Slack's epoch seconds) as a UTC datetime."""
    refresh, expiry = given.bot_refresh_token, given.bot_token_expires_at
    return {
        "bot_token": sealer.seal(given.bot_token or ""),
        "bot_refresh_token": None if refresh is None else sealer.seal(refresh),
        "bot_token_expires_at": None if expiry is None else datetime.fromtimestamp(expiry, UTC),
    }


def _bot(row: Installation, token: str, refresh_token: str) -> Bot:
    expiry = row.bot_token_expires_at
    return Bot(
        app_id=row.app_id or None,
        enterprise_id=row.enterprise_id or None,
        # An org-wide install (Enterprise Grid) has the org's id and no team.
        team_id=row.external_id or None,
        is_enterprise_install=bool(row.enterprise_id) and not row.external_id,
        bot_token=token,
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.scopes,
        bot_refresh_token=refresh_token,
        bot_token_expires_at=None if expiry is None else int(expiry.timestamp()),
        installed_at=row.installed_at.timestamp(),
    )


@functools.lru_cache(maxsize=256)
def _report_refused(team: str, stored: str, reason: str) -> None:
    """Logged once per stored refresh token and process, not on every event and send."""
    log.error(
        "the bot token of Slack workspace %s could not be refreshed: %s; the workspace is "
        "treated as not installed until the app is installed there again",
        team,
        reason,
    )

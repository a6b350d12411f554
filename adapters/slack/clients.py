"""A Web API client per workspace: one bot token for all (single-workspace mode), or the
token each workspace's install left in the database (OAuth mode).

Every client shares one HTTP session: a connection per call would cost a TLS handshake.
"""

import functools
import logging
import time

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, select

from bot.db import Database
from bot.models import Installation
from bot.secrets_at_rest import Sealer, Unreadable

log = logging.getLogger(__name__)

PLATFORM = "slack"
# A reinstall elsewhere (another replica) replaces the token: look it up again after a while.
TOKEN_TTL_SECONDS = 300.0


class NotInstalled(Exception):
    """No install of the app is known for this workspace."""


class SlackClients:
    def __init__(
        self,
        http: aiohttp.ClientSession | None,
        base_url: str,
        *,
        token: str = "",
        db: Database | None = None,
        sealer: Sealer | None = None,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/") + "/"
        self.db = db
        self.sealer = sealer or Sealer()
        # Without a token: for calls that carry their own credentials (OAuth, Socket Mode).
        self.anonymous = self._client(None)
        self._single = self._client(token) if token else None
        self._tokens: dict[str, tuple[float, AsyncWebClient]] = {}

    @classmethod
    def of(cls, client: AsyncWebClient) -> "SlackClients":
        """Every workspace through one given client (single-workspace mode)."""
        clients = cls(client.session, client.base_url)
        clients._single = client
        return clients

    @property
    def single(self) -> AsyncWebClient | None:
        return self._single

    def _client(self, token: str | None) -> AsyncWebClient:
        return AsyncWebClient(token=token, base_url=self.base_url, session=self.http)

    async def for_team(self, team: str) -> AsyncWebClient:
        """The client holding the bot token of workspace `team`."""
        if self._single is not None:
            return self._single
        cached = self._tokens.get(team)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        stored = await self._stored_token(team)
        token = None if stored is None else open_token(self.sealer, stored, team)
        if token is None:
            raise NotInstalled(f"Rapport is not installed in Slack workspace {team}")
        return self.remember(team, token)

    def remember(self, team: str, token: str) -> AsyncWebClient:
        client = self._client(token)
        self._tokens[team] = (time.monotonic() + TOKEN_TTL_SECONDS, client)
        return client

    def forget(self, team: str) -> None:
        self._tokens.pop(team, None)

    async def _stored_token(self, team: str) -> str | None:
        assert self.db is not None, "OAuth mode needs the database"
        async with self.db.session() as session:
            found = await session.exec(
                select(Installation.bot_token)
                .where(Installation.platform == PLATFORM, Installation.external_id == team)
                .order_by(col(Installation.installed_at).desc())
            )
            return found.first()


def open_token(sealer: Sealer, stored: str, team: str) -> str | None:
    """The bot token in a stored value, or None (as if never installed) when no key opens it."""
    try:
        return sealer.open(stored)
    except Unreadable as unreadable:
        _report_unreadable(team, stored, str(unreadable))
        return None


@functools.lru_cache(maxsize=256)
def _report_unreadable(team: str, stored: str, reason: str) -> None:
    """Logged once per stored token and process, not on every event from that workspace."""
    log.error(
        "the stored bot token of Slack workspace %s cannot be read: %s; the workspace is "
        "treated as not installed until the key that sealed it is configured again or "
        "the app is reinstalled there",
        team,
        reason,
    )

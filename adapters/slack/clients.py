"""A Web API client per workspace: one bot token for all (single-workspace mode), or the
token each workspace's install left in the database (OAuth mode).

In an Enterprise Grid org installed org-wide, one install (its row has the org's id and no
team) serves every team of the org; each team is still its own workspace. A team-level install
of its own wins over the org's. Deliveries name only the team: the team's org is remembered
(`slack_grid_team`) when an event from it is first seen.

Every client shares one HTTP session: a connection per call would cost a TLS handshake.
With token rotation a stored token near its end is refreshed before use (token_refresh.py).
"""

import functools
import logging
import time
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.slack.tables import Installation, SlackGridTeam
from adapters.slack.token_refresh import TokenRefresher, refresh_due
from bot.store.db import Database
from bot.store.db_upsert import insert_ignore
from bot.store.secrets_at_rest import Sealer, Unreadable

log = logging.getLogger(__name__)

PLATFORM = "slack"
# A reinstall elsewhere (another replica) replaces the token: look it up again after a while,
# and always before a rotating token is due for refresh.
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
        client_id: str = "",
        client_secret: str = "",
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/") + "/"
        self.db = db
        self.sealer = sealer or Sealer()
        # Without a token: for calls that carry their own credentials (OAuth, Socket Mode).
        self.anonymous = self._client(None)
        # With the app's OAuth credentials, tokens of workspaces with token rotation are
        # refreshed; without them a stored token is used as it is.
        self.refresher = (
            TokenRefresher(
                db,
                self.sealer,
                AsyncTokenRotator(
                    client_id=client_id, client_secret=client_secret, client=self.anonymous
                ),
            )
            if db is not None and client_id and client_secret
            else None
        )
        self._single = self._client(token) if token else None
        # Set when Slack says the single token is gone (uninstalled, revoked).
        self._single_revoked = False
        self._tokens: dict[str, tuple[float, AsyncWebClient]] = {}
        # team -> its Grid org, as stored: spares a write on every event from the team, and
        # names the clients to forget when the org-wide install changes or goes.
        self._orgs: dict[str, str] = {}

    @classmethod
    def of(cls, client: AsyncWebClient) -> "SlackClients":
        """Every workspace through one given client (single-workspace mode)."""
        clients = cls(client.session, client.base_url)
        clients._single = client
        return clients

    @property
    def single(self) -> AsyncWebClient | None:
        return self._single

    def revoke_single(self) -> bool:
        """Stop using the single-workspace token; False if it was already stopped (or there
        is none: with OAuth installs, each install's deletion does this)."""
        if self._single is None or self._single_revoked:
            return False
        self._single_revoked = True
        return True

    def _client(self, token: str | None) -> AsyncWebClient:
        return AsyncWebClient(token=token, base_url=self.base_url, session=self.http)

    def with_token(self, token: str) -> AsyncWebClient:
        """A client for a token not (yet) tied to a workspace, such as a new org-wide one."""
        return self._client(token)

    async def for_team(self, team: str) -> AsyncWebClient:
        """The client holding the bot token of workspace `team`."""
        if self._single is not None:
            if self._single_revoked:
                raise NotInstalled(f"Rapport was uninstalled from Slack workspace {team}")
            return self._single
        cached = self._tokens.get(team)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        row = await self.fresh(await self._stored(team))
        token = None if row is None else open_token(self.sealer, row.bot_token, team)
        if row is None or token is None:
            raise NotInstalled(f"Rapport is not installed in Slack workspace {team}")
        return self.remember(team, token, row.bot_token_expires_at)

    async def fresh(self, row: Installation | None) -> Installation | None:
        """The stored installation with a token fit to use: refreshed first if near its end."""
        if row is None or self.refresher is None or not self.refresher.due(row):
            return row
        refreshed = await self.refresher.fresh(row)
        if refreshed is None:
            self.forget_installation(row.enterprise_id, row.external_id)
        return refreshed

    def remember(self, team: str, token: str, expires_at: datetime | None = None) -> AsyncWebClient:
        client = self._client(token)
        seconds = min(TOKEN_TTL_SECONDS, refresh_due(expires_at))
        if seconds > 0:
            self._tokens[team] = (time.monotonic() + seconds, client)
        else:
            self.forget(team)
        return client

    def forget(self, team: str) -> None:
        self._tokens.pop(team, None)

    def forget_installation(self, enterprise: str, team: str) -> None:
        """An install's token changed or is gone: its team's client, or, for an org-wide
        install (no team), the clients of every team the org serves."""
        if team:
            self.forget(team)
            return
        for member, org in list(self._orgs.items()):
            if org == enterprise:
                self.forget(member)

    def follow(self, org: str, team: str, token: str, expires_at: datetime | None) -> None:
        """An install's token was just stored or refreshed: the outbox's clients use the new
        one (an org-wide install's teams look it up again)."""
        if team:
            self.remember(team, token, expires_at)
        else:
            self.forget_installation(org, "")

    async def link(self, team: str, enterprise: str) -> None:
        """Remember that `team` belongs to the Grid org `enterprise` (from one of its events)."""
        if not team or not enterprise or self.db is None or self._orgs.get(team) == enterprise:
            return
        async with self.db.session() as session:
            linked = {"team_id": team, "enterprise_id": enterprise}
            if not await insert_ignore(session, SlackGridTeam, [linked]):
                await session.exec(
                    update(SlackGridTeam)
                    .where(col(SlackGridTeam.team_id) == team)
                    .values(enterprise_id=enterprise)
                )
        self._orgs[team] = enterprise

    async def unlink(self, teams: list[str]) -> None:
        """The org-wide install no longer reaches `teams` (removed from those workspaces):
        their link to the org goes, so no delivery to them is sent with the org's token."""
        if self.db is not None and teams:
            async with self.db.session() as session:
                await session.exec(
                    delete(SlackGridTeam).where(col(SlackGridTeam.team_id).in_(teams))
                )
        for team in teams:
            self._orgs.pop(team, None)
            self.forget(team)

    async def teams(self) -> list[str]:
        """The workspaces this app serves: the single token's (auth.test), or every stored
        install's team (an org-wide install's teams are known once they send events)."""
        if self._single is not None:
            if self._single_revoked:
                return []
            return [str((await self._single.auth_test()).get("team_id") or "")]
        if self.db is None:
            return []
        async with self.db.session() as session:
            own = await session.exec(
                select(Installation.external_id).where(
                    Installation.platform == "slack", col(Installation.external_id) != ""
                )
            )
            linked = await session.exec(select(SlackGridTeam.team_id))
            return sorted({*own.all(), *linked.all()})

    async def _stored(self, team: str) -> Installation | None:
        """The install serving `team`, its Grid org (if any) as remembered from its events."""
        assert self.db is not None, "OAuth mode needs the database"
        if not team:
            return None
        async with self.db.session() as session:
            found = await session.exec(
                select(SlackGridTeam.enterprise_id).where(SlackGridTeam.team_id == team)
            )
            org = found.first()
            if org is not None:
                self._orgs[team] = org
            return await serving_install(session, team, org or "")


async def serving_install(session: AsyncSession, team: str, org: str) -> Installation | None:
    """The team's own install, or else the org-wide install of its Grid org `org`; with no
    team, the org-wide install."""
    own = await _newest(session, col(Installation.external_id) == team) if team else None
    if own is not None or not org:
        return own
    org_wide = (col(Installation.enterprise_id) == org, col(Installation.external_id) == "")
    return await _newest(session, *org_wide)


async def _newest(session: AsyncSession, *where: Any) -> Installation | None:
    found = await session.exec(
        select(Installation)
        .where(Installation.platform == PLATFORM, *where)
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

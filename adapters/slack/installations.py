"""slack-bolt's installation store, kept in our database (the `installation` table).

With token rotation switched on in the app's config, an install also brings a refresh token
and the bot token's expiry: the refresh token is sealed like the bot token, and a token near
its end is refreshed before it is handed to bolt (token_refresh.py).

An install also makes the workspace known to the bot, and its installer the workspace's admin
when it has none yet: whoever added the app to their workspace is the one who can set it up.
"""

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.slack.clients import PLATFORM, SlackClients, open_token
from adapters.slack.platform import profile_actor
from adapters.slack.token_refresh import expires_at
from bot.clock import Clock
from bot.db import Database
from bot.db_upsert import insert_ignore
from bot.events import Actor
from bot.models import Installation as Row
from bot.models import Person
from bot.people import ensure_person, ensure_workspace
from bot.roles import Role
from bot.secrets_at_rest import Sealer

log = logging.getLogger(__name__)


def _scopes(scopes: Any) -> str:
    return scopes if isinstance(scopes, str) else ",".join(scopes or [])


class DatabaseInstallationStore(AsyncInstallationStore):
    def __init__(
        self, db: Database, clients: SlackClients, clock: Clock, sealer: Sealer | None = None
    ) -> None:
        self.db = db
        self.clients = clients
        self.clock = clock
        # Tokens are sealed at rest; a row from before keys were set is read as plaintext
        # and sealed when the workspace installs again (or by `rapport secrets reseal`).
        self.sealer = sealer or Sealer()

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        team, token = installation.team_id or "", installation.bot_token or ""
        name = (installation.team_name or "")[:200]
        now = self.clock.now()
        expiry = expires_at(installation.bot_token_expires_at)
        refresh = installation.bot_refresh_token
        values = {
            "name": name,
            "app_id": installation.app_id or "",
            "bot_token": self.sealer.seal(token),
            "bot_refresh_token": None if refresh is None else self.sealer.seal(refresh),
            "bot_token_expires_at": expiry,
            "bot_id": installation.bot_id or "",
            "bot_user_id": installation.bot_user_id or "",
            "scopes": _scopes(installation.bot_scopes),
            "installer_id": installation.user_id,
            "installed_at": now,
        }
        key = {
            "platform": PLATFORM,
            "enterprise_id": installation.enterprise_id or "",
            "external_id": team,
        }
        installer = await self._installer(team, token, installation.user_id)
        async with self.db.session() as session:
            if not await insert_ignore(session, Row, [{**key, **values}]):
                row = (await session.exec(select(Row).filter_by(**key))).one()
                for column, value in values.items():
                    setattr(row, column, value)
            workspace = await ensure_workspace(session, PLATFORM, team, name, now)
            person = await ensure_person(session, workspace, installer, now)
            if not await self._has_admin(session, workspace.id):
                person.roles = sorted({*person.roles, Role.ADMIN.value})
        self.clients.remember(team, token, expiry)

    async def async_save_bot(self, bot: Bot) -> None:
        """A token bolt refreshed itself. It finds every token already refreshed ahead of its
        own window (token_refresh.py), so this is a fallback: the newest refresh wins."""
        team, expiry = bot.team_id or "", expires_at(bot.bot_token_expires_at)
        refresh = bot.bot_refresh_token
        async with self.db.session() as session:
            await session.exec(
                update(Row)
                .where(
                    col(Row.platform) == PLATFORM,
                    col(Row.enterprise_id) == (bot.enterprise_id or ""),
                    col(Row.external_id) == team,
                )
                .values(
                    bot_token=self.sealer.seal(bot.bot_token),
                    bot_refresh_token=None if refresh is None else self.sealer.seal(refresh),
                    bot_token_expires_at=expiry,
                )
            )
        self.clients.remember(team, bot.bot_token, expiry)

    async def _installer(self, team: str, token: str, user_id: str) -> Actor:
        """The installer's profile (name, time zone), read with the new token."""
        client = self.clients.remember(team, token)
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as failure:
            log.info("no profile for installer %s: %s", user_id, failure.response.get("error"))
            return Actor(id=user_id)
        return profile_actor(response["user"])

    @staticmethod
    async def _has_admin(session: AsyncSession, workspace_id: int | None) -> bool:
        people = await session.exec(select(Person.roles).where(Person.workspace_id == workspace_id))
        return any(Role.ADMIN.value in roles for roles in people.all())

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = await self._stored(enterprise_id, team_id)
        return None if installation is None else installation.to_bot()

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = await self._stored(enterprise_id, team_id)
        if installation is None or (user_id is not None and user_id != installation.user_id):
            return None
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The app was uninstalled or its bot token revoked: nothing more goes to the workspace."""
        async with self.db.session() as session:
            await session.exec(
                delete(Row).where(
                    col(Row.platform) == PLATFORM,
                    col(Row.enterprise_id) == (enterprise_id or ""),
                    col(Row.external_id) == (team_id or ""),
                )
            )
        self.clients.forget(team_id or "")

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        # Only bot tokens are kept: a person's revoked user token leaves nothing to delete.
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def _stored(self, enterprise_id: str | None, team_id: str | None) -> Installation | None:
        """The workspace's installation, or None if there is none or its token is unreadable."""
        found = await self._row(enterprise_id, team_id)
        row = await self.clients.fresh(found)
        if row is None:
            return None
        token = open_token(self.sealer, row.bot_token, row.external_id)
        team, stored_refresh = row.external_id, row.bot_refresh_token
        refresh = None if stored_refresh is None else open_token(self.sealer, stored_refresh, team)
        if token is None or (stored_refresh is not None and refresh is None):
            return None
        if row is not found:
            # Just refreshed: the outbox's client follows.
            self.clients.remember(team, token, row.bot_token_expires_at)
        return _installation(row, token, refresh)

    async def _row(self, enterprise_id: str | None, team_id: str | None) -> Row | None:
        async with self.db.session() as session:
            found = await session.exec(
                select(Row)
                .where(
                    Row.platform == PLATFORM,
                    Row.enterprise_id == (enterprise_id or ""),
                    Row.external_id == (team_id or ""),
                )
                .order_by(col(Row.installed_at).desc())
            )
            return found.first()


def _installation(row: Row, token: str, refresh_token: str | None) -> Installation:
    return Installation(
        app_id=row.app_id or None,
        enterprise_id=row.enterprise_id or None,
        team_id=row.external_id,
        team_name=row.name,
        bot_token=token,
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.scopes,
        user_id=row.installer_id,
        installed_at=row.installed_at,
        bot_refresh_token=refresh_token,
        bot_token_expires_at=row.bot_token_expires_at,
    )

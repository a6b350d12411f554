"""slack-bolt's installation store, kept in our database (the `installation` table).

An install also makes the workspace known to the bot, and its installer the workspace's admin
when it has none yet: whoever added the app to their workspace is the one who can set it up.
"""

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.slack.clients import PLATFORM, SlackClients, open_token
from adapters.slack.platform import profile_actor
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
        values = {
            "name": name,
            "app_id": installation.app_id or "",
            "bot_token": self.sealer.seal(token),
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
        self.clients.remember(team, token)

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
        row = await self._row(enterprise_id, team_id)
        if row is None:
            return None
        token = open_token(self.sealer, row.bot_token, row.external_id)
        return None if token is None else _installation(row, token)

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


def _installation(row: Row, token: str) -> Installation:
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
    )

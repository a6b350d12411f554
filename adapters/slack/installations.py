"""slack-bolt's installation store, kept in our database (the `installation` table).

With token rotation switched on in the app's config, an install also brings a refresh token
and the bot token's expiry: the refresh token is sealed like the bot token, and a token near
its end is refreshed before it is handed to bolt (token_refresh.py).

An install also makes the workspace known to the bot, and its installer the workspace's admin
when it has none yet: whoever added the app to their workspace is the one who can set it up.

Enterprise Grid: an org-wide install (`is_enterprise_install`) is one row with the org's id
and no team, as slack_sdk's own stores keep it; it serves every team of the org, each its own
workspace, and its installer's home team becomes a workspace right away. A team-level install
inside an org is a row with both ids, and wins over the org's for that team.
"""

import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from sqlmodel import col, delete, select, update

from adapters.slack.clients import PLATFORM, SlackClients, open_token, serving_install
from adapters.slack.platform import profile_actor
from adapters.slack.tables import Installation as Row
from adapters.slack.token_refresh import stored_credentials
from bot.contract.events import Actor
from bot.kit.people import ensure_person, ensure_workspace, has_admin
from bot.kit.roles import Role
from bot.store.db import Database
from bot.store.db_upsert import insert_ignore
from bot.store.secrets_at_rest import Sealer
from bot.time.clock import Clock

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
        org = installation.enterprise_id or ""
        team = "" if installation.is_enterprise_install else installation.team_id or ""
        token = installation.bot_token or ""
        name = ((installation.enterprise_name if not team else installation.team_name) or "")[:200]
        now = self.clock.now()
        credentials = stored_credentials(self.sealer, installation)
        expiry = credentials["bot_token_expires_at"]
        values = {
            "name": name,
            "app_id": installation.app_id or "",
            **credentials,
            "bot_id": installation.bot_id or "",
            "bot_user_id": installation.bot_user_id or "",
            "scopes": _scopes(installation.bot_scopes),
            "installer_id": installation.user_id,
            "installed_at": now,
        }
        key = {"platform": PLATFORM, "enterprise_id": org, "external_id": team}
        installer, home = await self._installer(token, installation.user_id)
        # An org-wide install has no team of its own: the installer's home team is known.
        workspace_id = team or home
        await self.clients.link(workspace_id, org)
        async with self.db.session() as session:
            if not await insert_ignore(session, Row, [{**key, **values}]):
                row = (await session.exec(select(Row).filter_by(**key))).one()
                for column, value in values.items():
                    setattr(row, column, value)
            if workspace_id:
                workspace_name = name if team else ""
                workspace = await ensure_workspace(
                    session, PLATFORM, workspace_id, workspace_name, now
                )
                person = await ensure_person(session, workspace, installer, now)
                if not await has_admin(session, workspace.id):
                    person.roles = sorted({*person.roles, Role.ADMIN.value})
        self.clients.follow(org, team, token, expiry)

    async def async_save_bot(self, bot: Bot) -> None:
        """A token bolt refreshed itself. It finds every token already refreshed ahead of its
        own window (token_refresh.py), so this is a fallback: the newest refresh wins."""
        team = "" if bot.is_enterprise_install else bot.team_id or ""
        credentials = stored_credentials(self.sealer, bot)
        async with self.db.session() as session:
            await session.exec(
                update(Row)
                .where(
                    col(Row.platform) == PLATFORM,
                    col(Row.enterprise_id) == (bot.enterprise_id or ""),
                    col(Row.external_id) == team,
                )
                .values(credentials)
            )
        expiry = credentials["bot_token_expires_at"]
        self.clients.follow(bot.enterprise_id or "", team, bot.bot_token, expiry)

    async def _installer(self, token: str, user_id: str) -> tuple[Actor, str]:
        """The installer's profile (name, time zone) and home team, read with the new token."""
        try:
            response = await self.clients.with_token(token).users_info(
                user=user_id, include_locale=True
            )
        except SlackApiError as failure:
            log.info("no profile for installer %s: %s", user_id, failure.response.get("error"))
            return Actor(id=user_id), ""
        user = response["user"]
        return profile_actor(user), str(user.get("team_id") or "")

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        installation = await self._stored(enterprise_id, team_id, is_enterprise_install)
        return None if installation is None else installation.to_bot()

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = await self._stored(enterprise_id, team_id, is_enterprise_install)
        if installation is None or (user_id is not None and user_id != installation.user_id):
            return None
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """The app was uninstalled or its bot token revoked: nothing more goes to the workspace,
        or, for an org-wide install (Slack names no team then), to any team of the org."""
        org, team = enterprise_id or "", team_id or ""
        async with self.db.session() as session:
            await session.exec(
                delete(Row).where(
                    col(Row.platform) == PLATFORM,
                    col(Row.enterprise_id) == org,
                    col(Row.external_id) == team,
                )
            )
        self.clients.forget_installation(org, team)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        # Only bot tokens are kept: a person's revoked user token leaves nothing to delete.
        if user_id is None:
            await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def _stored(
        self, enterprise_id: str | None, team_id: str | None, org_wide: bool | None
    ) -> Installation | None:
        """The installation serving the request, or None if there is none or its token is
        unreadable."""
        team = "" if org_wide else team_id or ""
        async with self.db.session() as session:
            found = await serving_install(session, team, enterprise_id or "")
        row = await self.clients.fresh(found)
        if row is None:
            return None
        label = row.external_id or row.enterprise_id
        token = open_token(self.sealer, row.bot_token, label)
        stored_refresh = row.bot_refresh_token
        refresh = None if stored_refresh is None else open_token(self.sealer, stored_refresh, label)
        if token is None or (stored_refresh is not None and refresh is None):
            return None
        if row is not found:
            # Just refreshed: the outbox's clients follow.
            self.clients.follow(row.enterprise_id, row.external_id, token, row.bot_token_expires_at)
        return _installation(row, token, refresh)


def _installation(row: Row, token: str, refresh_token: str | None) -> Installation:
    org_wide = bool(row.enterprise_id) and not row.external_id
    return Installation(
        app_id=row.app_id or None,
        enterprise_id=row.enterprise_id or None,
        enterprise_name=row.name if org_wide else None,
        team_id=row.external_id or None,
        team_name=None if org_wide else row.name,
        is_enterprise_install=org_wide,
        bot_token=token,
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.scopes,
        user_id=row.installer_id,
        installed_at=row.installed_at,
        bot_refresh_token=refresh_token,
        bot_token_expires_at=row.bot_token_expires_at,
    )

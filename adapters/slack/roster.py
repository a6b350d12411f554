"""A Slack workspace's roster: `users.list` page by page, and `team_join` / `user_change`.

Each member's profile goes into the people directory as the platform source
(bot/kit/roster.py): name, e-mail (`users:read.email`), time zone, and, where the settings
name them, the profile fields holding the department and the location: `title` for the
profile's title, or a custom profile field's id (`Xf0123ABC`), as found in the profile Slack
sends. A deleted or deactivated account is a person who left.
"""

import logging
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from adapters.slack.paging import pages
from adapters.slack.platform import profile_actor
from adapters.slack.settings import slack_settings
from bot.contract.app import Bot
from bot.contract.platform import Member
from bot.kit.people import ensure_workspace
from bot.kit.roster import Synced, apply_members
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

PAGE = 200


def member(user: dict[str, Any], settings: Settings) -> Member:
    profile = user.get("profile") or {}
    actor = profile_actor(user).model_copy(
        update={
            "platform_admin": any(
                bool(user.get(flag)) for flag in ("is_primary_owner", "is_owner", "is_admin")
            )
        }
    )
    return Member(
        actor=actor,
        active=not user.get("deleted"),
        department=_field(profile, slack_settings(settings).department_field),
        location=_field(profile, slack_settings(settings).location_field),
    )


def _field(profile: dict[str, Any], name: str) -> str | None:
    if not name:
        return None
    if name == "title":
        value = profile.get("title")
    else:
        custom = (profile.get("fields") or {}).get(name) or {}
        value = custom.get("value") if isinstance(custom, dict) else None
    return str(value) if value else None


async def apply(bot: Bot, team: str, members: list[Member], now: datetime) -> Synced:
    async with bot.db.session() as session:
        workspace = await ensure_workspace(session, PLATFORM, team, team, now)
        return await apply_members(session, workspace, members, now)


async def sync(bot: Bot, client: AsyncWebClient, team: str, settings: Settings) -> Synced:
    """Every member of `team`, a page (and a transaction) at a time; an org-wide token needs
    the team named."""
    created = updated = 0
    listed = pages(
        lambda cursor: client.users_list(limit=PAGE, cursor=cursor or None, team_id=team),
        f"users.list of {team}",
    )
    async for page in listed:
        members = [member(user, settings) for user in page.get("members") or []]
        done = await apply(bot, team, members, bot.clock.now())
        created, updated = created + done.created, updated + done.updated
    log.info("slack roster of %s: %d new, %d updated", team, created, updated)
    return Synced(created, updated)

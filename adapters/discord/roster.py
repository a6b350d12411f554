"""A Discord guild's roster into the people directory: every member when the bot arrives in
the guild, then joins, changes and leaves as the gateway reports them.

All of it needs the privileged members intent (DISCORD_MEMBERS_INTENT). Discord keeps no
e-mail, department or time zone: a member is matched by user id, and a department is the
first of DISCORD_DEPARTMENT_ROLES (role names, in that order) the member holds. The guild's
owner counts as a platform admin for a workspace that has no admin yet.

Member events do not go through the intake: they carry nothing anyone wrote, writing one twice
changes nothing, and the whole roster is read again whenever the bot connects, so one lost in
a crash is made good then.
"""

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import discord

from adapters.discord.inbound import PLATFORM
from adapters.discord.settings import discord_settings
from bot.contract.app import Bot
from bot.contract.events import Actor
from bot.contract.platform import Member
from bot.kit.people import ensure_workspace
from bot.kit.roster import Synced, apply_members

log = logging.getLogger(__name__)

# Members written per transaction while the whole roster is read.
CHUNK = 500
# Rate limits longer than discord.py waits out itself, waited for in one listing at most.
MAX_WAITS = 10

Sleep = Callable[[float], Awaitable[None]]


def departments(setting: str) -> list[str]:
    return [name.strip() for name in setting.split(",") if name.strip()]


def member(found: discord.Member, roles: list[str], *, active: bool = True) -> Member:
    held = {role.name.lower(): role.name for role in found.roles}
    department = next((held[name.lower()] for name in roles if name.lower() in held), None)
    actor = Actor(
        id=str(found.id),
        name=found.nick or found.global_name or found.name,
        is_bot=found.bot,
        platform_admin=found.guild.owner_id == found.id,
    )
    return Member(actor=actor, active=active, department=department)


async def apply(bot: Bot, guild: discord.Guild, members: list[Member]) -> Synced:
    now = bot.clock.now()
    async with bot.db.session() as session:
        workspace = await ensure_workspace(
            session, PLATFORM, str(guild.id), guild.name, now, bot.settings.default_timezone
        )
        return await apply_members(session, workspace, members, now)


async def sync(bot: Bot, guild: discord.Guild, sleep: Sleep = asyncio.sleep) -> Synced:
    """Every member of `guild` (List Guild Members, 1,000 a page), CHUNK per transaction.

    discord.py waits out a rate limit of up to 30 s itself (RATELIMIT_WAIT_SECONDS); a longer
    one raises before the next page, and after its wait the listing goes on after the highest
    member id read (pages come in id order), not from the start.
    """
    roles = departments(discord_settings(bot.settings).department_roles)
    total = Synced(0, 0)
    highest = 0
    for waits in itertools.count():
        chunk: list[Member] = []
        try:
            async for found in _members(guild, highest):
                chunk.append(member(found, roles))
                highest = max(highest, found.id)
                if len(chunk) == CHUNK:
                    total, chunk = _add(total, await apply(bot, guild, chunk)), []
        except discord.RateLimited as limited:
            if waits == MAX_WAITS:
                raise
            total = _add(total, await apply(bot, guild, chunk))
            log.info(
                "discord roster of %s rate limited: going on in %.0fs",
                guild.id,
                limited.retry_after,
            )
            await sleep(limited.retry_after)
            continue
        total = _add(total, await apply(bot, guild, chunk))
        break
    log.info("discord roster of %s: %d new, %d updated", guild.id, total.created, total.updated)
    return total


def _members(guild: discord.Guild, after: int) -> AsyncIterator[discord.Member]:
    if after:
        return guild.fetch_members(limit=None, after=discord.Object(after))
    return guild.fetch_members(limit=None)


def _add(total: Synced, done: Synced) -> Synced:
    return Synced(total.created + done.created, total.updated + done.updated)

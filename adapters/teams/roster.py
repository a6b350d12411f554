"""A Teams tenant's people into the directory: a team's roster when the app is added to it,
the members added to and removed from a team later, and what Microsoft Graph knows of them.

The Bot Connector's roster gives each member's name and e-mail (or user principal name), so
people are matched across sources by e-mail too. Departments, offices and managers live in
Microsoft Graph: with Graph credentials they are read for the people within the bot's reach
(adapters/teams/graph.py); without, an HR file or SCIM gives them. Each team's roster is
kept (TeamsTeamMember): someone removed from a team may still be in the tenant, but once they
are on the roster of no team the app is in, and have no personal chat with the bot, the bot
cannot reach them any more, and the directory counts them as gone (as the platform source,
so what SCIM says of them stands). Added to a team again, they are back. Between readings,
a scheduled refresh brings Graph's changes (`refresh`, adapters/teams/graph_schedule.py).
"""

import logging
from collections.abc import Iterable
from datetime import datetime

import aiohttp
from microsoft_agents.activity import ChannelAccount
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.teams import graph_schedule, inbound, references
from adapters.teams.graph import Graph, GraphChange, GraphUnavailable, GraphUser
from adapters.teams.settings import teams_settings
from adapters.teams.tables import TeamsConversation, TeamsTeamMember
from bot.contract.app import Bot
from bot.contract.context import WorkContext
from bot.contract.events import Actor
from bot.contract.platform import Member
from bot.kit.audit import record
from bot.kit.directory import FIELDS, Source, set_active, write
from bot.kit.people import ensure_workspace, find_person
from bot.kit.roster import Synced, apply_members
from bot.models import Workspace
from bot.store.db_upsert import insert_ignore

log = logging.getLogger(__name__)
# Directory field -> what Graph says of it (GraphUser), cleared when Graph has nothing.
_GRAPH_FIELDS = {"department": "department", "location": "office", "manager": "manager"}


def member(account: ChannelAccount) -> Member:
    extra = account.model_extra or {}
    email = extra.get("email") or extra.get("userPrincipalName")
    return Member(
        actor=Actor(
            id=str(account.id),
            name=account.name or "",
            email=str(email) if email and "@" in str(email) else None,
            is_bot=inbound.is_bot_account(account),
        )
    )


async def apply(
    bot: Bot,
    tenant: str,
    accounts: list[ChannelAccount],
    team: str | None = None,
    *,
    whole: bool = False,
) -> Synced:
    """People added to a conversation, or, with `whole`, all of `team`'s roster as read."""
    people = [member(a) for a in accounts if a.id and not inbound.is_bot_account(a)]
    now = bot.clock.now()
    async with bot.db.session() as session:
        workspace = await _workspace(bot, session, tenant, now)
        synced = await apply_members(session, workspace, people, now)
        if team:
            ids = {person.actor.id for person in people}
            rows = [{"tenant_id": tenant, "team_id": team, "user_id": uid} for uid in sorted(ids)]
            await insert_ignore(session, TeamsTeamMember, rows)
            if whole:
                gone = await _members_of(session, tenant, team) - ids
                await _off_roster(session, workspace, tenant, team, gone, now)
        return synced


async def removed(bot: Bot, tenant: str, team: str, user_ids: Iterable[str] | None) -> int:
    """People removed from `team` (everyone, when `user_ids` is None: the app was removed
    from it); how many of them are now out of the bot's reach."""
    now = bot.clock.now()
    async with bot.db.session() as session:
        workspace = await _workspace(bot, session, tenant, now)
        if user_ids is None:
            user_ids = await _members_of(session, tenant, team)
        return await _off_roster(session, workspace, tenant, team, set(user_ids), now)


async def from_graph(bot: Bot, graph: Graph, tenant: str, only: set[str] | None = None) -> Synced:
    """Department, office, manager and account state from Microsoft Graph for the people of
    `tenant` within the bot's reach (of them, `only` these Teams user ids), as the platform
    source; the sync is audited."""
    async with bot.db.session() as session:
        known = await _object_ids(session, tenant)
        within = await _within_reach(session, tenant)
    chosen = within if only is None else within & only
    wanted = {aad for aad, user_id in known.items() if user_id in chosen}
    users = await (graph.users if only is None else graph.some)(tenant, wanted)
    members = [
        Member(
            actor=Actor(id=known[user.id], name="", email=user.email),
            active=user.enabled,
            department=user.department,
            location=user.office,
            manager=known.get(user.manager) if user.manager else None,
        )
        for user in users
    ]
    now = bot.clock.now()
    async with bot.db.session() as session:
        workspace = await _workspace(bot, session, tenant, now)
        synced = await apply_members(session, workspace, members, now)
        for user in users:
            await _clear_unsaid(session, workspace, known[user.id], user, frozenset(_GRAPH_FIELDS))
        await _audit(session, workspace, len(users), synced, now)
        hours = teams_settings(bot.settings).graph_refresh_hours
        await graph_schedule.ensure_refresh(session, workspace, hours, now)
    log.info("microsoft graph for %s: %d read, %d updated", tenant, len(users), synced.updated)
    return synced


async def refresh(ctx: WorkContext) -> None:
    """The scheduled refresh: the changes Graph's delta query gives since the last one, for
    the people within the bot's reach, as a full reading writes them; where the round ended
    is kept for the next. A Graph that fails is tried again at the next refresh."""
    graph = Graph(ctx.bot.settings)
    tenant = ctx.workspace.external_id
    if not graph.serves(tenant):
        return
    try:
        delta = await graph.delta(tenant, ctx.schedule.payload.get("delta"))
    except (GraphUnavailable, aiohttp.ClientError) as failure:
        log.warning("microsoft graph not refreshed for %s: %s", tenant, failure)
        return
    known = await _object_ids(ctx.session, tenant)
    within = await _within_reach(ctx.session, tenant)
    changes = [c for c in delta.changes if known.get(c.user.id) in within]
    members = [await _changed(ctx.session, ctx.workspace, known, c) for c in changes]
    synced = await apply_members(ctx.session, ctx.workspace, members, ctx.now)
    for change in changes:
        user_id = known[change.user.id]
        await _clear_unsaid(ctx.session, ctx.workspace, user_id, change.user, change.said)
    await _audit(ctx.session, ctx.workspace, len(changes), synced, ctx.now, delta=True)
    ctx.schedule.payload = {**ctx.schedule.payload, "delta": delta.link}
    ctx.session.add(ctx.schedule)
    log.info(
        "microsoft graph changes for %s: %d read, %d updated", tenant, len(changes), synced.updated
    )


async def _changed(
    session: AsyncSession, workspace: Workspace, known: dict[str, str], change: GraphChange
) -> Member:
    """What a delta says of someone, as a roster member: a field it did not give stays."""
    user, said = change.user, change.said
    person = await find_person(session, workspace, known[user.id])
    here = person.active if person is not None else True
    return Member(
        actor=Actor(id=known[user.id], name="", email=user.email if "email" in said else None),
        active=user.enabled if "active" in said else here,
        department=user.department if "department" in said else None,
        location=user.office if "location" in said else None,
        manager=known.get(user.manager) if "manager" in said and user.manager else None,
    )


async def _clear_unsaid(
    session: AsyncSession, workspace: Workspace, user_id: str, user: GraphUser, said: frozenset[str]
) -> None:
    """Clear the fields Graph gave as empty."""
    for field, value in _GRAPH_FIELDS.items():
        if field in said and getattr(user, value) is None:
            await _clear(session, workspace, user_id, field)


async def _audit(
    session: AsyncSession,
    workspace: Workspace,
    read: int,
    synced: Synced,
    now: datetime,
    *,
    delta: bool = False,
) -> None:
    assert workspace.id is not None
    await record(
        session,
        workspace.id,
        None,
        "people.graph_sync",
        now,
        read=read,
        created=synced.created,
        updated=synced.updated,
        delta=delta,
    )


async def _clear(session: AsyncSession, workspace: Workspace, user_id: str, field: str) -> None:
    """Graph has no value for `field` (an emptied department, a manager that is a 404), which
    is news where one was known: a reporting line that ended must not keep ruling out
    mentors, nor a department someone left keep counting them in its breakdowns."""
    person = await find_person(session, workspace, user_id)
    if person is not None and getattr(person, FIELDS[field]) is not None:
        write(person, field, None, Source.PLATFORM)
        session.add(person)


async def _object_ids(session: AsyncSession, tenant: str) -> dict[str, str]:
    """Entra object id -> Teams user id, for everyone the bot has seen in `tenant`."""
    found = await session.exec(
        select(TeamsConversation.aad_object_id, TeamsConversation.target).where(
            TeamsConversation.tenant_id == tenant,
            TeamsConversation.kind == references.PERSON,
            col(TeamsConversation.aad_object_id).is_not(None),
        )
    )
    return {str(aad): target for aad, target in found.all()}


async def _within_reach(session: AsyncSession, tenant: str) -> set[str]:
    """Teams user ids on a team's roster or with a personal chat with the bot."""
    rostered = await session.exec(
        select(TeamsTeamMember.user_id).where(TeamsTeamMember.tenant_id == tenant)
    )
    chats = await session.exec(
        select(TeamsConversation.target).where(
            TeamsConversation.tenant_id == tenant,
            TeamsConversation.kind == references.PERSON,
            col(TeamsConversation.conversation_id).is_not(None),
        )
    )
    return set(rostered.all()) | set(chats.all())


async def _off_roster(
    session: AsyncSession,
    workspace: Workspace,
    tenant: str,
    team: str,
    user_ids: set[str],
    now: datetime,
) -> int:
    if not user_ids:
        return 0
    await session.exec(
        delete(TeamsTeamMember).where(
            col(TeamsTeamMember.tenant_id) == tenant,
            col(TeamsTeamMember.team_id) == team,
            col(TeamsTeamMember.user_id).in_(user_ids),
        )
    )
    still = await session.exec(
        select(TeamsTeamMember.user_id).where(
            TeamsTeamMember.tenant_id == tenant, col(TeamsTeamMember.user_id).in_(user_ids)
        )
    )
    chats = await session.exec(
        select(TeamsConversation.target).where(
            TeamsConversation.tenant_id == tenant,
            TeamsConversation.kind == references.PERSON,
            col(TeamsConversation.target).in_(user_ids),
            col(TeamsConversation.conversation_id).is_not(None),
        )
    )
    gone = 0
    for user_id in sorted(user_ids - set(still.all()) - set(chats.all())):
        person = await find_person(session, workspace, user_id)
        if person is not None and person.active:
            gone += set_active(person, False, Source.PLATFORM, now.date())
            session.add(person)
    return gone


async def _members_of(session: AsyncSession, tenant: str, team: str) -> set[str]:
    found = await session.exec(
        select(TeamsTeamMember.user_id).where(
            TeamsTeamMember.tenant_id == tenant, TeamsTeamMember.team_id == team
        )
    )
    return set(found.all())


async def _workspace(bot: Bot, session: AsyncSession, tenant: str, now: datetime) -> Workspace:
    return await ensure_workspace(
        session, inbound.PLATFORM, tenant, tenant, now, bot.settings.default_timezone
    )

"""A Teams tenant's people into the directory: a team's roster when the app is added to it,
the members added to and removed from a team later.

The Bot Connector's roster gives each member's name and e-mail (or user principal name), so
people are matched across sources by e-mail too. Departments, offices and managers live in
Microsoft Graph, which this adapter does not read: an HR file or SCIM gives them. Each team's
roster is kept (TeamsTeamMember):
someone removed from a team may still be in the tenant, but once they are on the roster of no
team the app is in, and have no personal chat with the bot, the bot cannot reach them any
more, and the directory counts them as gone (as the platform source, so what SCIM says of
them stands). Added to a team again, they are back.
"""

from collections.abc import Iterable
from datetime import datetime

from microsoft_agents.activity import ChannelAccount
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.teams import inbound, references
from adapters.teams.tables import TeamsConversation, TeamsTeamMember
from bot.contract.app import Bot
from bot.contract.events import Actor
from bot.contract.platform import Member
from bot.kit.directory import Source, set_active
from bot.kit.people import ensure_workspace, find_person
from bot.kit.roster import Synced, apply_members
from bot.models import Workspace
from bot.store.db_upsert import insert_ignore


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

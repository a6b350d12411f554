"""A Teams tenant's people into the directory: a team's roster when the app is added to it,
and the members added to a team later.

The Bot Connector's roster gives each member's name and e-mail (or user principal name), so
people are matched across sources by e-mail too. Departments, job titles, offices and
managers live in Microsoft Graph, which this adapter does not read: an HR file or SCIM gives
them. Someone removed from a team may still be in the tenant, so it does not deactivate them.
"""

from microsoft_agents.activity import ChannelAccount

from adapters.teams import inbound
from bot.contract.app import Bot
from bot.contract.events import Actor
from bot.contract.platform import Member
from bot.kit.people import ensure_workspace
from bot.kit.roster import Synced, apply_members


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


async def apply(bot: Bot, tenant: str, accounts: list[ChannelAccount]) -> Synced:
    people = [member(account) for account in accounts if account.id]
    now = bot.clock.now()
    async with bot.db.session() as session:
        workspace = await ensure_workspace(
            session, inbound.PLATFORM, tenant, tenant, now, bot.settings.default_timezone
        )
        return await apply_members(session, workspace, people, now)

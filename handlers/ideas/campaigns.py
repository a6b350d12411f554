"""Campaigns: a question with a deadline, a reminder before it and the top ideas at close."""

from datetime import timedelta

from bot.contract.context import BaseContext, Context, WorkContext
from bot.contract.errors import UserError
from bot.contract.router import Router
from bot.kit.roles import Role, has_role
from bot.kit.subcommands import Subcommands
from bot.time.scheduler import add_schedule
from handlers.ideas import notify, render, rules
from handlers.ideas.i18n import N_, _
from handlers.ideas.parsing import campaign_ref, idea_ref, parse_campaign
from handlers.ideas.settings import ideas_settings
from handlers.ideas.tables import Campaign

router = Router()

REMINDER = "ideas.campaign_reminder"
CLOSE = "ideas.campaign_close"


CAMPAIGN = Subcommands(
    "/idea campaign", summary=N_("Campaigns: a question to the workspace, open until a deadline.")
)


async def command(ctx: Context, text: str) -> None:
    await CAMPAIGN.run(ctx, text)


@CAMPAIGN.add("", "list", help=N_("the open campaigns"))
async def _list(ctx: Context, _rest: str) -> None:
    await list_open(ctx)


@CAMPAIGN.add(
    "close",
    usage="c2",
    help=N_("close a campaign now and post its top ideas"),
    role=Role.COMMUNITY_MANAGER,
)
async def _close(ctx: Context, rest: str) -> None:
    campaign = await rules.get_campaign(ctx.session, ctx.workspace, campaign_ref(rest))
    if not await close(ctx, campaign):
        raise UserError(_("Campaign c{id} has already closed.").format(id=campaign.id))
    ctx.reply(
        _("Campaign c{id} is closed; its top ideas are in #{channel}.").format(
            id=campaign.id, channel=campaign.channel
        )
    )


async def list_open(ctx: Context) -> None:
    campaigns = await rules.open_campaigns(ctx.session, ctx.workspace)
    ctx.reply(render.campaign_list(campaigns, ctx.workspace.timezone))


@CAMPAIGN.add(
    "open",
    usage='"How can we cut onboarding time?" 2027-02-01 [17:00]',
    help=N_("open a campaign until that day"),
    role=Role.COMMUNITY_MANAGER,
)
async def _open(ctx: Context, text: str) -> None:
    settings = ideas_settings(ctx.workspace, ctx.settings)
    request = parse_campaign(text, ctx.workspace.timezone, ctx.now)
    campaign = await rules.open_campaign(ctx.session, ctx.actor, request, settings.channel, ctx.now)
    remind_at = campaign.closes_at - timedelta(hours=settings.campaign_reminder_hours)
    # A campaign shorter than the reminder lead time gets no reminder: it would be at once.
    if settings.campaign_reminder_hours and remind_at > ctx.now:
        await _at(ctx, REMINDER, remind_at.isoformat(), campaign)
    await _at(ctx, CLOSE, campaign.closes_at.isoformat(), campaign)
    opener, timezone = ctx.actor, ctx.workspace.timezone
    ctx.post(campaign.channel, lambda: render.campaign_opened(campaign, opener, timezone))
    ctx.reply(
        _(
            "Campaign c{id} is open until {deadline}; announced in #{channel}. Its top ideas "
            "will be posted there when it closes."
        ).format(
            id=campaign.id,
            deadline=render.when(campaign.closes_at, timezone),
            channel=campaign.channel,
        )
    )


async def _at(ctx: Context, kind: str, moment: str, campaign: Campaign) -> None:
    await add_schedule(
        ctx.session,
        ctx.workspace,
        kind,
        {"type": "date", "at": moment},
        now=ctx.now,
        name=f"{kind} c{campaign.id}",
        payload={"campaign": campaign.id},
    )


async def join(ctx: Context, text: str) -> None:
    words = text.split()
    if len(words) != 2:
        raise UserError(_("Usage: `/idea join #12 c2`: the idea, then the campaign."))
    idea = await rules.get_idea(ctx.session, ctx.workspace, idea_ref(words[0]), lock=True)
    campaign = await rules.get_campaign(ctx.session, ctx.workspace, campaign_ref(words[1]))
    moderator = has_role(ctx.actor.roles, Role.COMMUNITY_MANAGER)
    rules.join_campaign(idea, campaign, ctx.actor, moderator)
    ctx.session.add(idea)
    await notify.refresh_post(ctx, idea)
    ctx.reply(
        _("Idea #{id} is now part of campaign c{campaign}: {question}").format(
            id=idea.id, campaign=campaign.id, question=campaign.question
        )
    )


async def close(ctx: BaseContext, campaign: Campaign) -> bool:
    """Close the campaign and post its top ideas; False if it had already closed."""
    if campaign.closed_at is not None:
        return False
    campaign.closed_at = ctx.now
    ctx.session.add(campaign)
    settings = ideas_settings(ctx.workspace, ctx.settings)
    ranked = await rules.ranking(
        ctx.session, ctx.workspace, campaign, ctx.now, settings.vote_half_life_days, limit=5
    )
    ctx.post(campaign.channel, lambda: render.campaign_results(campaign, ranked))
    return True


async def _scheduled_campaign(ctx: WorkContext) -> Campaign:
    campaign_id = ctx.due.payload.get("campaign")
    assert isinstance(campaign_id, int)
    return await rules.get_campaign(ctx.session, ctx.workspace, campaign_id)


@router.schedule(REMINDER)
async def campaign_reminder(ctx: WorkContext) -> None:
    campaign = await _scheduled_campaign(ctx)
    if campaign.closed_at is not None:
        return  # closed early by hand: nothing left to remind anyone of
    ideas = await rules.campaign_idea_count(ctx.session, campaign)
    timezone = ctx.workspace.timezone
    ctx.post(campaign.channel, lambda: render.campaign_reminder(campaign, ideas, timezone))


@router.schedule(CLOSE)
async def campaign_close(ctx: WorkContext) -> None:
    await close(ctx, await _scheduled_campaign(ctx))

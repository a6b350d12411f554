"""Coffee pairing in chat: `/coffee`, the "did you meet?" buttons and the scheduled rounds.

What goes to someone else than the actor is handed over as a function that writes it, so
that it is written in its reader's language (the workspace's for a group DM)."""

from functools import partial
from zoneinfo import ZoneInfo

from bot.contract.context import BaseContext, Context, WorkContext
from bot.contract.errors import UserError
from bot.contract.events import Action, Command
from bot.contract.platform import PermanentFailure
from bot.contract.router import Router
from bot.kit.i18n import format_date, format_datetime, format_number
from bot.kit.people import workspace_admins
from bot.kit.roles import Role
from bot.kit.safety import neutralise
from bot.kit.subcommands import Subcommands
from bot.models import Person
from handlers.coffee import render
from handlers.coffee import rules as coffee
from handlers.coffee.i18n import N_, _, ngettext

router = Router()


COFFEE = Subcommands(
    "/coffee",
    summary=render.SUMMARY,
    notes=lambda __: str(render.NOTES),
)


@router.command("coffee", help=N_("/coffee join: be paired for a coffee chat (`/coffee help`)"))
async def coffee_command(ctx: Context, command: Command) -> None:
    await COFFEE.run(ctx, command.text)


@COFFEE.add("join", help=N_("be paired every round"))
async def _join(ctx: Context, __: str) -> None:
    await coffee.join(ctx.session, ctx.actor, ctx.now)
    ctx.reply(_("You're in: you'll be paired for a coffee chat every round."))


@COFFEE.add("leave", help=N_("stop being paired"))
async def _leave(ctx: Context, __: str) -> None:
    pooled = bool(coffee.channels(ctx.workspace))
    left = await coffee.leave(ctx.session, ctx.actor, ctx.now, pooled=pooled)
    ctx.reply(
        _("You've left coffee pairing. `/coffee join` any time to come back.")
        if left
        else _("You weren't taking part in coffee pairing.")
    )


@COFFEE.add(
    "snooze",
    usage="2w",
    help=N_("skip rounds for a while (days or weeks, up to 12w); `/coffee join` wakes you up"),
)
async def _snooze(ctx: Context, rest: str) -> None:
    length = coffee.parse_snooze(rest)
    pooled = bool(coffee.channels(ctx.workspace))
    await coffee.snooze(ctx.session, ctx.actor, length, ctx.now, pooled=pooled)
    until = (ctx.now + length).astimezone(ZoneInfo(ctx.actor.timezone)).date()
    ctx.reply(
        _("Snoozed: no coffee pairing until {day}. Enjoy the break.").format(
            day=format_date(until, "full")
        )
    )


@COFFEE.add("everyone", help=N_("opt everyone in; people who left stay out"), role=Role.ADMIN)
async def _everyone(ctx: Context, __: str) -> None:
    added = await coffee.join_everyone(ctx.session, ctx.workspace, ctx.now)
    ctx.reply(
        ngettext(
            "Added {count} person to coffee pairing. Anyone who left before stays out; "
            "everyone can `/coffee leave`.",
            "Added {count} people to coffee pairing. Anyone who left before stays out; "
            "everyone can `/coffee leave`.",
            added,
        ).format(count=format_number(added))
    )


@COFFEE.add("now", help=N_("a round right away"), role=Role.ADMIN)
async def _now(ctx: Context, __: str) -> None:
    await announce_round(ctx, f"manual:{ctx.now.isoformat()}")


@COFFEE.add("stats", help=N_("the met-rate"), role=Role.ADMIN)
async def _stats(ctx: Context, __: str) -> None:
    ctx.reply(render.coffee_stats(await coffee.stats(ctx.session, ctx.workspace, ctx.now)))


@COFFEE.add(
    "cadence",
    usage="weekly|biweekly|monthly|off",
    help=N_("how often rounds run"),
    role=Role.ADMIN,
)
async def _cadence(ctx: Context, text: str) -> None:
    schedule = await coffee.set_cadence(ctx.session, ctx.workspace, text, ctx.now)
    if schedule is None:
        ctx.reply(_("Coffee rounds are off. `/coffee now` still pairs people once."))
        return
    assert schedule.next_fire_at is not None
    ctx.reply(
        _("Coffee rounds are {cadence}; the next one is on {when} ({zone}).").format(
            cadence=render.cadence_name(text.strip().lower()),
            when=format_datetime(schedule.next_fire_at, "short", ctx.workspace.timezone),
            zone=ctx.workspace.timezone,
        )
    )


@COFFEE.add(
    "channel",
    usage="#name",
    help=N_("pair that channel's members every round; `/coffee channel remove #name` stops"),
    role=Role.ADMIN,
)
async def _channel(ctx: Context, text: str) -> None:
    """`/coffee channel #eng` pairs the channel's members every round; `remove #eng` stops."""
    word, __, rest = text.strip().partition(" ")
    removing = word.lower() in ("remove", "off")
    channel = coffee.parse_channel(rest if removing else text)
    if removing:
        changed = coffee.set_channel(ctx.workspace, channel, on=False)
        ctx.reply(
            _(
                "Members of #{channel} are no longer paired as a channel; whoever joined "
                "themselves stays in."
            ).format(channel=channel)
            if changed
            else _("#{channel} was not a coffee channel.").format(channel=channel)
        )
        return
    try:
        members = await ctx.bot.channel_members(ctx.workspace, channel)
    except PermanentFailure as unreadable:
        raise UserError(
            _(
                "I can't see who is in #{channel}. Check the name, and that I'm in the channel "
                "(or allowed to read its members). ({problem})"
            ).format(channel=channel, problem=neutralise(str(unreadable)[:200]))
        ) from unreadable
    coffee.set_channel(ctx.workspace, channel, on=True)
    ctx.reply(
        ngettext(
            "Everyone in #{channel} ({count} person now) is paired for coffee every round, as "
            "the channel's members change. Anyone can `/coffee leave` or `/coffee snooze`.",
            "Everyone in #{channel} ({count} people now) is paired for coffee every round, as "
            "the channel's members change. Anyone can `/coffee leave` or `/coffee snooze`.",
            len(members),
        ).format(channel=channel, count=format_number(len(members)))
    )


async def channel_people(ctx: BaseContext) -> tuple[list[Person], list[str]]:
    """Members of the coffee channels as people (created on first sight), and the channels
    whose members could not be read."""
    people: dict[str, Person] = {}
    unreadable = []
    for channel in coffee.channels(ctx.workspace):
        try:
            members = await ctx.bot.channel_members(ctx.workspace, channel)
        except PermanentFailure:
            unreadable.append(channel)
            continue
        for user_id in members:
            if user_id not in people and (person := await ctx.person(user_id)) is not None:
                people[user_id] = person
    return list(people.values()), unreadable


async def announce_round(ctx: BaseContext, period: str) -> None:
    """Pair people and introduce each group in one group DM (a DM each where the platform
    cannot open group DMs)."""
    members, unreadable = await channel_people(ctx)
    result = await coffee.run_round(ctx.session, ctx.workspace, ctx.now, period, members)
    for group, people in result.groups:
        assert group.id is not None
        ctx.group_dm(people, partial(render.coffee_intro, group.id, people))
    for person in result.left_out:
        ctx.dm(person, render.nobody_else, held=True)
    summary = partial(render.round_summary, len(result.groups), unreadable)
    if isinstance(ctx, Context):
        ctx.reply(summary())
    elif unreadable:
        for admin in await workspace_admins(ctx.session, ctx.workspace):
            ctx.dm(admin, summary)


@router.schedule(coffee.ROUND_KIND)
async def scheduled_round(ctx: WorkContext) -> None:
    await announce_round(ctx, ctx.due.period)


@router.action("coffee.met")
async def met(ctx: Context, action: Action) -> None:
    met = await coffee.record_met(ctx.session, ctx.actor, action.value, ctx.now)
    ctx.reply(_("Lovely, thanks for telling me!") if met else _("Thanks. Better luck next round!"))

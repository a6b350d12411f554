"""`/expert`: declared topics, availability and working hours, and who knows what."""

from bot.contract.context import Context
from bot.kit.i18n import format_list
from bot.kit.preferences import set_working_hours
from bot.kit.subcommands import Subcommands
from bot.models import Person
from handlers.qa import parsing, render, routing, rules
from handlers.qa.delivery import settings_of
from handlers.qa.i18n import N_, _

EXPERT = Subcommands(
    "/expert",
    summary=render.EXPERT_SUMMARY,
    notes=lambda ctx: render.expert_notes(settings_of(ctx).expertise_half_life_days),
)


async def command(ctx: Context, text: str) -> None:
    await EXPERT.run(ctx, text)


@EXPERT.add(
    "add",
    usage="payroll, parental leave",
    help=N_("topics you can answer (commas between topics)"),
)
async def _add(ctx: Context, rest: str) -> None:
    added = await rules.add_topics(ctx.session, ctx.actor, parsing.parse_topics(rest), ctx.now)
    if added:
        listed = format_list(f"#{t}" for t in added)
        ctx.reply(
            _("Added {topics}. I'll send you questions on your topics.").format(topics=listed)
        )
    else:
        ctx.reply(_("Nothing new to add. I'll send you questions on your topics."))


@EXPERT.add(
    "remove",
    usage="payroll",
    help=N_("stop declaring a topic (`/expert remove` alone: all of them)"),
)
async def _remove(ctx: Context, rest: str) -> None:
    gone = await rules.remove_topics(ctx.session, ctx.actor, parsing.parse_topics(rest))
    ctx.reply(_("Removed {topics}.").format(topics=format_list("#" + t for t in gone)))


@EXPERT.add(
    "list",
    usage="[topic]",
    help=N_(
        "your topics, declared and earned, and your availability; with a topic, who knows "
        "most about it"
    ),
)
async def _list(ctx: Context, rest: str) -> None:
    if rest:
        await _topic_experts(ctx, parsing.normalise_topic(rest))
    else:
        await _mine(ctx)


@EXPERT.add("back", help=N_("resume questions"))
async def _back(ctx: Context, _rest: str) -> None:
    profile = await rules.ensure_profile(ctx.session, ctx.actor)
    profile.away, profile.away_until = False, None
    ctx.reply(_("Welcome back! You'll get questions again."))


@EXPERT.add(
    "hours",
    usage="08-16 mon-thu",
    help=N_("your working hours (as in `/rapport settings`; 09-17 mon-fri)"),
)
async def _hours(ctx: Context, rest: str) -> None:
    start, end, days = parsing.parse_hours(rest)
    set_working_hours(ctx.actor, start, end, days)
    hours = routing.working_time(ctx.actor).describe()
    ctx.reply(
        _("Your working hours are now {hours} (in `/rapport settings` too).").format(hours=hours)
    )


@EXPERT.add(
    "away",
    usage="[until 2027-01-11]",
    help=N_("pause questions, or be out of office until that day"),
)
async def _away(ctx: Context, rest: str) -> None:
    profile = await rules.ensure_profile(ctx.session, ctx.actor)
    if rest.strip():
        profile.away, profile.away_until = (
            False,
            parsing.parse_until(rest, ctx.actor.timezone, ctx.now),
        )
        when = render.availability(False, profile.away_until, ctx.actor.timezone)
        ctx.reply(_("Noted: {availability}. No questions until then.").format(availability=when))
        return
    profile.away, profile.away_until = True, None
    ctx.reply(_("You're away: no questions until you say `/expert back`."))


async def _mine(ctx: Context) -> None:
    settings = settings_of(ctx)
    me = ctx.actor
    declared = await rules.declared_topics(ctx.session, me)
    ranker = await routing.ranker(
        ctx.session, ctx.workspace, ctx.now, settings.expertise_half_life_days
    )
    assert me.id is not None
    earned = ranker.topic_scores_of(me.id, exclude=set(declared))
    profile = await routing.profile(ctx.session, me)
    away = render.availability(
        profile is not None and profile.away,
        profile.away_until if profile and routing.is_away(profile, ctx.now) else None,
        me.timezone,
    )
    busy = (await routing.open_claims(ctx.session, ctx.workspace))[me.id]
    hours = routing.working_time(me)
    ctx.reply(render.expert_summary(me, declared, earned, away, hours, busy))


async def _topic_experts(ctx: Context, topic: str) -> None:
    settings = settings_of(ctx)
    ranker = await routing.ranker(
        ctx.session, ctx.workspace, ctx.now, settings.expertise_half_life_days
    )
    people: list[tuple[Person, float]] = []
    for person_id, score in ranker.topic_ranking(topic)[:5]:
        found = await ctx.session.get(Person, person_id)
        if found is not None:
            people.append((found, score))
    ctx.reply(render.topic_experts(topic, people))

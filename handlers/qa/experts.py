"""`/expert`: declared topics, availability and working hours, and who knows what."""

from bot.context import Context
from bot.errors import UserError
from bot.models import Person
from bot.preferences import set_working_hours
from handlers.qa import parsing, render, routing, rules
from handlers.qa.delivery import settings_of

USAGE = (
    "Try `/expert add payroll, benefits`, `/expert remove payroll`, `/expert list`, "
    "`/expert away`, `/expert back` or `/expert help`."
)


async def command(ctx: Context, text: str) -> None:
    verb, _, rest = text.strip().partition(" ")
    match verb.lower():
        case "help" | "":
            ctx.reply(render.expert_help(settings_of(ctx).expertise_half_life_days))
        case "add":
            added = await rules.add_topics(
                ctx.session, ctx.actor, parsing.parse_topics(rest), ctx.now
            )
            listed = ", ".join(f"#{t}" for t in added) or "nothing new"
            ctx.reply(f"Added {listed}. I'll send you questions on your topics.")
        case "remove":
            gone = await rules.remove_topics(ctx.session, ctx.actor, parsing.parse_topics(rest))
            ctx.reply(f"Removed {', '.join('#' + t for t in gone)}.")
        case "list":
            if rest.strip():
                await _topic_experts(ctx, parsing.normalise_topic(rest))
            else:
                await _mine(ctx)
        case "away":
            await _away(ctx, rest)
        case "back":
            profile = await rules.ensure_profile(ctx.session, ctx.actor)
            profile.away, profile.away_until = False, None
            ctx.reply("Welcome back! You'll get questions again.")
        case "hours":
            start, end, days = parsing.parse_hours(rest)
            set_working_hours(ctx.actor, start, end, days)
            hours = routing.working_time(ctx.actor).describe()
            ctx.reply(f"Your working hours are now {hours} (in `/rapport settings` too).")
        case _:
            raise UserError(USAGE)


async def _away(ctx: Context, rest: str) -> None:
    profile = await rules.ensure_profile(ctx.session, ctx.actor)
    if rest.strip():
        profile.away, profile.away_until = (
            False,
            parsing.parse_until(rest, ctx.actor.timezone, ctx.now),
        )
        when = render.availability(False, profile.away_until, ctx.actor.timezone)
        ctx.reply(f"Noted: {when}. No questions until then.")
        return
    profile.away, profile.away_until = True, None
    ctx.reply("You're away: no questions until you say `/expert back`.")


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

"""Coffee pairing in chat: `/coffee`, the "did you meet?" buttons and the scheduled rounds."""

from bot.context import BaseContext, Context, WorkContext
from bot.errors import UserError
from bot.events import Action, Command
from bot.roles import Role
from bot.router import Router
from bot.safety import neutralise
from handlers.mentoring import coffee, render

router = Router()


@router.command("coffee", help="/coffee join: be paired for a coffee chat (`/coffee help`)")
async def coffee_command(ctx: Context, command: Command) -> None:
    word, _, rest = command.text.strip().partition(" ")
    match word.lower():
        case "" | "help":
            ctx.reply(render.help_message(render.COFFEE_HELP))
        case "join":
            await coffee.join(ctx.session, ctx.actor, ctx.now)
            ctx.reply("You're in: you'll be paired for a coffee chat every round.")
        case "leave":
            left = await coffee.leave(ctx.session, ctx.actor)
            ctx.reply(
                "You've left coffee pairing. `/coffee join` any time to come back."
                if left
                else "You weren't taking part in coffee pairing."
            )
        case "snooze":
            length = coffee.parse_snooze(rest)
            await coffee.snooze(ctx.session, ctx.actor, length, ctx.now)
            until = ctx.now + length
            ctx.reply(f"Snoozed: no coffee pairing until {until:%a %d %b}. Enjoy the break.")
        case "cadence":
            ctx.require(Role.ADMIN)
            await _cadence(ctx, rest)
        case "everyone":
            ctx.require(Role.ADMIN)
            added = await coffee.join_everyone(ctx.session, ctx.workspace, ctx.now)
            ctx.reply(
                f"Added {added} people to coffee pairing. Anyone who left before stays out; "
                "everyone can `/coffee leave`."
            )
        case "now":
            ctx.require(Role.ADMIN)
            await announce_round(ctx, f"manual:{ctx.now.isoformat()}")
        case "stats":
            ctx.require(Role.ADMIN)
            ctx.reply(render.coffee_stats(await coffee.stats(ctx.session, ctx.workspace, ctx.now)))
        case _:
            raise UserError(
                f"I don't know `/coffee {neutralise(word[:40])}`. `/coffee help` shows how."
            )


async def _cadence(ctx: Context, text: str) -> None:
    schedule = await coffee.set_cadence(ctx.session, ctx.workspace, text, ctx.now)
    if schedule is None:
        ctx.reply("Coffee rounds are off. `/coffee now` still pairs people once.")
        return
    assert schedule.next_fire_at is not None
    ctx.reply(
        f"Coffee rounds are {text.strip().lower()}; the next one is on "
        f"{schedule.next_fire_at:%a %Y-%m-%d %H:%M} UTC."
    )


async def announce_round(ctx: BaseContext, period: str) -> None:
    result = await coffee.run_round(ctx.session, ctx.workspace, ctx.now, period)
    for group, people in result.groups:
        assert group.id is not None
        for person in people:
            others = [p for p in people if p.id != person.id]
            ctx.dm(person, render.coffee_intro(group.id, person, others))
    for person in result.left_out:
        ctx.dm(person, "Nobody else is taking part in coffee pairing this round. Next time!")
    if isinstance(ctx, Context):
        ctx.reply(f"Coffee round done: {len(result.groups)} groups.")


@router.schedule(coffee.ROUND_KIND)
async def scheduled_round(ctx: WorkContext) -> None:
    await announce_round(ctx, ctx.due.period)


@router.action("coffee.met")
async def met(ctx: Context, action: Action) -> None:
    met = await coffee.record_met(ctx.session, ctx.actor, action.value, ctx.now)
    ctx.reply("Lovely, thanks for telling me!" if met else "Thanks. Better luck next round!")

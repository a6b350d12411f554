"""`/rapport settings`: a person's own settings, in a form on every platform."""

from datetime import date

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import FormSubmit
from bot.contract.router import Router
from handlers.profile import render, rules

router = Router()

SETTINGS_HELP = (
    "`/rapport settings` opens your settings: time zone, date format, working and quiet "
    "hours, which nudges you get and a pause; `/rapport settings show` lists them."
)


async def settings_command(ctx: Context, text: str) -> None:
    match text.strip().lower():
        case "":
            ctx.open_form(render.settings_form(ctx.actor))
        case "show":
            ctx.reply(render.summary(ctx.actor, _today(ctx)))
        case _:
            raise UserError(SETTINGS_HELP)


@router.form(render.FORM_ID)
async def save_settings(ctx: Context, submit: FormSubmit) -> None:
    values = {name: _text(value) for name, value in submit.values.items()}
    chosen = rules.read_form(values, ctx.actor, _today(ctx))
    rules.apply(ctx.actor, chosen)
    ctx.session.add(ctx.actor)
    ctx.reply(render.summary(ctx.actor, _today(ctx)))


def _today(ctx: Context) -> date:
    return rules.local_today(ctx.now, ctx.actor.timezone)


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else " ".join(value)

"""`/rapport settings`: a person's own settings, in a form on every platform."""

from datetime import date

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import FormSubmit
from bot.contract.router import Router
from handlers.profile import render, rules
from handlers.profile.language import person_language, workspace_language

router = Router()

SETTINGS_HELP = (
    "`/rapport settings` opens your settings: time zone, date format, working and quiet "
    "hours, which nudges you get and a pause; `/rapport settings show` lists them; "
    "`/rapport settings language fr` picks your language."
)


async def settings_command(ctx: Context, text: str) -> None:
    word, _sep, rest = text.strip().partition(" ")
    match word.lower():
        case "" if not rest:
            ctx.open_form(render.settings_form(ctx.actor))
        case "show" if not rest:
            ctx.reply(render.summary(ctx.actor, _today(ctx)))
        case "language":
            await person_language(ctx, rest)
        case "workspace-language":
            await workspace_language(ctx, rest)
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

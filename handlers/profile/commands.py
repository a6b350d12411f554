"""`/rapport settings`: a person's own settings, in a form on every platform."""

from datetime import date

from bot.contract.context import Context
from bot.contract.events import Action, FormSubmit
from bot.contract.router import Router
from bot.kit.subcommands import Subcommands
from handlers.profile import render, rules
from handlers.profile.i18n import N_
from handlers.profile.language import person_language, workspace_language

router = Router()

SETTINGS = Subcommands(
    "/rapport settings",
    summary=N_(
        "*Your settings*: time zone, date format, working and quiet hours, which nudges "
        "you get, a pause, and your language."
    ),
)


async def settings_command(ctx: Context, text: str) -> None:
    await SETTINGS.run(ctx, text)


@SETTINGS.add("", help=N_("open your settings in a form"))
async def _open(ctx: Context, _: str) -> None:
    ctx.open_form(render.settings_form(ctx.actor))


@router.action("profile.settings")
async def settings_button(ctx: Context, action: Action) -> None:
    """The home page's "My settings" button."""
    ctx.open_form(render.settings_form(ctx.actor))


@SETTINGS.add("show", help=N_("list your settings"))
async def _show(ctx: Context, _: str) -> None:
    ctx.reply(render.summary(ctx.actor, _today(ctx)))


SETTINGS.add("language", usage="[CODE|auto]", help=N_("the language Rapport speaks with you"))(
    person_language
)
SETTINGS.add(
    "workspace-language",
    usage="[CODE]",
    help=N_("the language of channel posts; admins change it"),
)(workspace_language)


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

"""`/rapport settings language` and `workspace-language`: who reads which language.

A person's choice wins over what their platform says; `auto` goes back to the platform's.
The workspace's language is for channel posts and for people whose platform names none that
Rapport speaks (bot.kit.language).
"""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.kit.i18n import SHIPPED, format_list, language_name, shipped, speaking
from bot.kit.language import choose_language, choose_workspace_language, chosen_language
from bot.kit.roles import Role
from bot.kit.safety import neutralise
from handlers.profile.i18n import _

AUTO = "auto"


def _choices() -> str:
    return format_list(f"`{tag}` ({language_name(tag, own=True)})" for tag in SHIPPED)


async def person_language(ctx: Context, text: str) -> None:
    tag = text.strip()
    if not tag:
        chosen = chosen_language(ctx.actor)
        current = language_name(ctx.language_of(ctx.actor))
        line = (
            _("I speak {language} with you, as you chose.")
            if chosen
            else _("I speak {language} with you, as your platform or workspace says.")
        )
        ctx.reply(
            line.format(language=current)
            + " "
            + _("Change it with `/rapport settings language CODE`: {choices}, or `auto`.").format(
                choices=_choices()
            )
        )
        return
    if tag.lower() == AUTO:
        choose_language(ctx.actor, None)
        ctx.session.add(ctx.actor)
        with speaking(ctx.language_of(ctx.actor)):
            ctx.reply(_("I'll follow your platform's language again."))
        return
    language = _known(tag)
    choose_language(ctx.actor, language)
    ctx.session.add(ctx.actor)
    with speaking(language):
        ctx.reply(
            _("From now on I speak {language} with you.").format(language=language_name(language))
        )


async def workspace_language(ctx: Context, text: str) -> None:
    tag = text.strip()
    if not tag:
        ctx.reply(
            _(
                "Channel posts are in {language}. Admins change it with "
                "`/rapport settings workspace-language CODE`: {choices}."
            ).format(language=language_name(ctx.workspace_language), choices=_choices())
        )
        return
    ctx.require(Role.ADMIN)
    language = _known(tag)
    choose_workspace_language(ctx.workspace, language)
    ctx.session.add(ctx.workspace)
    ctx.reply(
        _(
            "Channel posts are now in {language}, and so is everyone whose platform names no "
            "language I speak."
        ).format(language=language_name(language))
    )


def _known(tag: str) -> str:
    language = shipped(tag)
    if language is None:
        raise UserError(
            _("I don't speak {tag} yet. I speak {choices}.").format(
                tag=f"`{neutralise(tag[:20])}`", choices=_choices()
            )
        )
    return language

"""The overview of every command, and what answers a command nobody declared."""

from bot.contract.context import Context
from bot.contract.events import Command, Message
from bot.contract.feature import Feature
from bot.contract.router import Router
from bot.contract.ui import Message as UiMessage
from bot.contract.ui import Section
from handlers.help.i18n import N_, _

router = Router()
feature = Feature("help", router)


def advertised(router: Router) -> dict[str, str]:
    """The commands the overview lists, by name: every command but `help`, the overview
    itself, which `/rapport help` (and `help` in a DM) shows."""
    return {name: text for name, text in router.command_help().items() if name != "help"}


def overview_text(ctx: Context) -> str:
    """Every command, one line each, and the one family they all belong to."""
    lines = [
        _("• `/{name}`: {help}").format(name=name, help=text)
        for name, text in advertised(ctx.bot.router).items()
    ]
    intro = _("Hi, I'm Rapport. Here is what I can do:")
    tail = _(
        "Add `help` after any command for details, like `/kudos help`. Every command also "
        "works after `/rapport`, like `/rapport kudos @name thanks` or `/rapport pulse help`."
    )
    return "\n".join([intro, *lines, tail])


def overview(ctx: Context) -> UiMessage:
    text = overview_text(ctx)
    return UiMessage(text=text, blocks=[Section(text=text)])


@router.command("help", help=N_("this overview"))
async def help_command(ctx: Context, command: Command) -> None:
    ctx.reply(overview(ctx))


@router.unknown_command()
async def unknown_command(ctx: Context, command: Command) -> None:
    ctx.reply(_("I don't know the command `/{name}`.").format(name=command.name))
    ctx.reply(overview(ctx))


@router.message()
async def direct_message(ctx: Context, message: Message) -> None:
    """In a DM, anything that is not a command gets the overview instead of silence."""
    if message.is_dm:
        ctx.reply(overview(ctx))

"""`/rapport`: help, personal settings, and role management for workspace admins."""

from bot.context import Context
from bot.errors import UserError
from bot.events import Command
from bot.router import Router
from handlers.dashboard import dashboard_command
from handlers.digest import digest_command
from handlers.digest.render import HELP as DIGEST_HELP
from handlers.help import overview
from handlers.insights.commands import fairness_command
from handlers.insights.render import FAIRNESS_HELP
from handlers.privacy.audit_commands import audit
from handlers.privacy.commands import PRIVACY_HELP, forget, forget_me, my_data
from handlers.profile import SETTINGS_HELP, settings_command
from handlers.roles import ROLE_HELP, change_role, list_roles

router = Router()

# One paragraph per group of `/rapport` subcommands, all of them: `/rapport help` is the one
# place a newcomer finds the personal, admin and community manager parts.
RAPPORT_HELP = (
    SETTINGS_HELP,
    ROLE_HELP,
    PRIVACY_HELP,
    DIGEST_HELP,
    "`/rapport dashboard` (community managers) sends you a one-time sign-in link to the "
    "insights dashboard by DM.",
    FAIRNESS_HELP,
)


@router.command("rapport", help="help, your settings (`/rapport settings`), and roles for admins")
async def rapport_command(ctx: Context, command: Command) -> None:
    word, _, rest = command.text.strip().partition(" ")
    match word.lower():
        case "" | "help":
            ctx.reply(overview(ctx, [f"• {part}" for part in RAPPORT_HELP]))
        case "settings":
            await settings_command(ctx, rest)
        case "roles":
            await list_roles(ctx)
        case "role":
            await change_role(ctx, rest)
        case "digest":
            await digest_command(ctx, rest)
        case "dashboard":
            await dashboard_command(ctx)
        case "my-data":
            await my_data(ctx)
        case "forget-me":
            forget_me(ctx)
        case "forget":
            await forget(ctx, rest)
        case "audit":
            await audit(ctx, rest)
        case "fairness":
            await fairness_command(ctx, rest)
        case _:
            raise UserError(f"I don't know `/rapport {word}`. `/rapport help` lists them all.")

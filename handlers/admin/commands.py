"""`/rapport` and its parts: each a subcommand that hands over to the feature that owns it."""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import Command
from bot.contract.feature import Feature
from bot.contract.router import Router
from bot.kit.roles import Role
from bot.kit.subcommands import Subcommands
from handlers.admin.i18n import N_, _
from handlers.admin.roles import change_role, list_roles
from handlers.dashboard import dashboard_command
from handlers.digest import digest_command
from handlers.help import overview_text
from handlers.insights.commands import fairness_command
from handlers.people import people_command
from handlers.privacy.audit_commands import audit
from handlers.privacy.commands import forget, forget_me, my_data
from handlers.profile import settings_command

router = Router()
feature = Feature("admin", router)

RAPPORT = Subcommands(
    "/rapport",
    summary=lambda ctx: overview_text(ctx) + "\n" + _("The parts of `/rapport`:"),
    # Translators: the role names are typed as they are, in every language.
    notes=lambda ctx: _("Roles: admin, hr, community_manager. An admin may do everything."),
)


@router.command(
    "rapport", help=N_("help, your settings (`/rapport settings`), and roles for admins")
)
async def rapport_command(ctx: Context, command: Command) -> None:
    await RAPPORT.run(ctx, command.text)


@RAPPORT.otherwise
async def _feature_command(ctx: Context, text: str) -> None:
    """`/rapport kudos @ann thanks` is `/kudos @ann thanks`: one family for every command,
    for a workspace that registers `/rapport` alone, or a person who remembers only it."""
    word, _sep, rest = text.partition(" ")
    name = word.lower().lstrip("/")
    route = ctx.bot.router.commands.get(name)
    event = ctx.event
    if route is None or name == "rapport" or not isinstance(event, Command):
        raise UserError(RAPPORT.unknown(word))
    ctx.require(route.role)
    await route.handler(ctx, event.model_copy(update={"name": name, "text": rest.strip()}))


RAPPORT.add(
    "settings",
    usage="[show | language CODE | workspace-language CODE]",
    help=N_(
        "your settings: time zone, date format, working and quiet hours, which nudges you "
        "get and a pause; `show` lists them; `language` picks yours, `workspace-language` the "
        "channels' (admins)"
    ),
)(settings_command)


@RAPPORT.add(
    "my-data", help=N_("everything Rapport holds about you (a summary and a JSON file), by DM")
)
async def _my_data(ctx: Context, _: str) -> None:
    await my_data(ctx)


@RAPPORT.add("forget-me", help=N_("erase everything Rapport holds about you"))
async def _forget_me(ctx: Context, _: str) -> None:
    forget_me(ctx)


@RAPPORT.add("roles", help=N_("who holds which role"), role=Role.ADMIN)
async def _roles(ctx: Context, _: str) -> None:
    await list_roles(ctx)


RAPPORT.add(
    "role",
    usage="grant|revoke @name hr",
    help=N_("grant a role or take it away (`/rapport role @name hr` and `@name -hr` work too)"),
    role=Role.ADMIN,
)(change_role)
RAPPORT.add(
    "people",
    usage="show @name",
    help=N_("the people directory: someone's department, manager and where each came from"),
    role=Role.ADMIN,
)(people_command)
RAPPORT.add("forget", usage="@name", help=N_("erase someone who has left"), role=Role.ADMIN)(forget)
RAPPORT.add(
    "audit",
    usage="[days] | export [days] [csv|json]",
    help=N_("the audit log: who did what, read or exported"),
    role=Role.ADMIN,
)(audit)
RAPPORT.add(
    "digest",
    usage="[channels #community #general | at mon 09:00 | on | off | preview]",
    help=N_(
        "the weekly digest: its settings, where and when it is posted, on or off; "
        "`preview` shows this week's to you only"
    ),
    role=Role.COMMUNITY_MANAGER,
)(digest_command)


@RAPPORT.add(
    "dashboard",
    help=N_("a one-time sign-in link to the insights dashboard, by DM (also for HR)"),
    role=Role.COMMUNITY_MANAGER,
    also=frozenset({Role.HR}),
)
async def _dashboard(ctx: Context, _: str) -> None:
    await dashboard_command(ctx)


RAPPORT.add(
    "fairness",
    usage="[weeks]",
    help=N_(
        "who gives and receives kudos across departments and roles over the last 4 weeks "
        "(or 1–26), and groups that trade kudos back and forth; only you see it, and the read "
        "is audited"
    ),
    role=Role.COMMUNITY_MANAGER,
)(fairness_command)

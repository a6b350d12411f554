"""`/rapport people …`: the directory for admins."""

from bot.contract.context import Context
from bot.kit.roles import Role
from bot.kit.subcommands import Subcommands
from handlers.people.i18n import N_
from handlers.people.show import show_person

PEOPLE = Subcommands(
    "/rapport people",
    summary=N_("*People*: the directory Rapport keeps from platform rosters, HR files and SCIM."),
)

PEOPLE.add(
    "show",
    usage="@name",
    help=N_("someone's department, manager, location and time zone, and where each came from"),
    role=Role.ADMIN,
)(show_person)


async def people_command(ctx: Context, text: str) -> None:
    await PEOPLE.run(ctx, text)

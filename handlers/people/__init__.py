"""The people directory: HR files, SCIM provisioning, and who is who for admins.

`/rapport people …` is a subcommand of the admin's `/rapport` (handlers/admin), so the
feature's own router is empty; the SCIM service is its page on the web server.
"""

from typing import TYPE_CHECKING

from bot.contract.feature import CommandLine, Feature
from bot.contract.router import Router
from bot.kit.personal_data import PersonalData
from handlers.people.commands import people_command
from handlers.people.scim.app import mount
from handlers.people.settings import SECTION
from handlers.people.tables import ScimUser

if TYPE_CHECKING:
    import typer

SCIM_ACCOUNT = "your account at your identity provider (SCIM)"  # not translated: an export key
PERSONAL_DATA = PersonalData(
    labels={("scim_user", "person_id"): SCIM_ACCOUNT},
    personal_tables=frozenset({"scim_user"}),
)


def _commands(line: CommandLine) -> "typer.Typer":
    # Loaded by `rapport people …` alone: the bot starts without the HR file import.
    from handlers.people import cli

    return cli.app


router = Router()
router.settings_section(SECTION)
feature = Feature(
    "people",
    router,
    tables=(ScimUser,),
    personal_data=PERSONAL_DATA,
    commands=_commands,
    pages=mount,
)

__all__ = ["feature", "people_command"]

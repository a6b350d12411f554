"""Mentoring matches: profiles, rounds, check-ins and feedback."""

from typing import TYPE_CHECKING

from bot.contract.feature import CommandLine, Feature
from bot.contract.router import Router
from handlers.mentoring import commands, dashboard, digest, history
from handlers.mentoring.personal_data import PERSONAL_DATA
from handlers.mentoring.settings import SECTION
from handlers.mentoring.tables import MentorAvoid, MentorPair, MentorProfile

if TYPE_CHECKING:
    import typer


def _commands(line: CommandLine) -> "typer.Typer":
    # Loaded by `rapport mentoring …` alone: the bot starts without the CSV import.
    from handlers.mentoring import cli

    return cli.commands(line)


router = Router()
router.include(commands.router)
router.settings_section(SECTION)
feature = Feature(
    "mentoring",
    router,
    tables=(MentorProfile, MentorAvoid, MentorPair),
    personal_data=PERSONAL_DATA,
    commands=_commands,
    history=history.edges,
    dashboard=dashboard.PARTS,
    digest=digest.part,
)

__all__ = ["feature", "router"]

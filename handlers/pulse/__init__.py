"""Pulse surveys: HR schedules short surveys; anonymous answers, reminders and safe results."""

from typing import TYPE_CHECKING

from bot.contract.feature import CommandLine, Feature
from handlers.pulse import dashboard, digest, home, retention, tables
from handlers.pulse.commands import router
from handlers.pulse.personal_data import PERSONAL_DATA
from handlers.pulse.settings import SECTION

if TYPE_CHECKING:
    import typer


def _commands(line: CommandLine) -> "typer.Typer":
    # Survey files (YAML) are read only by `rapport pulse …`: the bot starts without them.
    from handlers.pulse import cli

    return cli.commands(line)


router.settings_section(SECTION)
feature = Feature(
    "pulse",
    router,
    tables=(
        tables.PulseSurvey,
        tables.PulseRun,
        tables.PulseAnswer,
        tables.PulseBallot,
        tables.PulseTicket,
        tables.PulseAttribution,
        tables.PulseRespondent,
        tables.ChannelMember,
    ),
    expiries=retention.expiries,
    personal_data=PERSONAL_DATA,
    commands=_commands,
    dashboard=dashboard.PARTS,
    digest=digest.part,
    home=home.part,
)

__all__ = ["feature", "router"]

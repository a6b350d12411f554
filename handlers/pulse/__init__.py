"""Pulse surveys: HR schedules short surveys; anonymous answers, reminders and safe results."""

from bot.contract.feature import Feature
from handlers.pulse import cli, dashboard, digest, home, retention, tables
from handlers.pulse.commands import router
from handlers.pulse.personal_data import PERSONAL_DATA
from handlers.pulse.settings import SECTION

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
    commands=cli.commands,
    dashboard=dashboard.PARTS,
    digest=digest.part,
    home=home.part,
)

__all__ = ["feature", "router"]

"""Pulse surveys: HR schedules short surveys; anonymous answers, reminders and safe results."""

from handlers.pulse.commands import router
from handlers.pulse.settings import SECTION

router.settings_section(SECTION)

__all__ = ["router"]

"""Pulse surveys: HR schedules short surveys; anonymous answers, reminders and safe results."""

from bot.contract.feature import Feature
from handlers.pulse.commands import router
from handlers.pulse.settings import SECTION

router.settings_section(SECTION)
feature = Feature("pulse", router)

__all__ = ["feature", "router"]

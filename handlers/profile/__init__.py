"""Profiles: a person's own settings (time zone, hours, nudges, pause)."""

from bot.contract.feature import Feature
from handlers.profile.commands import router, settings_command

feature = Feature("profile", router)

__all__ = ["feature", "router", "settings_command"]

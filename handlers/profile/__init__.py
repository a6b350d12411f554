"""Profiles: a person's own settings (time zone, hours, nudges, pause)."""

from bot.contract.feature import Feature
from handlers.profile import home
from handlers.profile.commands import router, settings_command

feature = Feature("profile", router, home=home.part)

__all__ = ["feature", "router", "settings_command"]

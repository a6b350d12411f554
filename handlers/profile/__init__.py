"""Profiles: a person's own settings (time zone, hours, nudges, pause)."""

from handlers.profile.commands import SETTINGS_HELP, router, settings_command

__all__ = ["SETTINGS_HELP", "router", "settings_command"]

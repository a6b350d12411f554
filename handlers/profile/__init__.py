"""Profiles: a person's own settings (time zone, hours, nudges, pause)."""

from handlers.profile.commands import router, settings_command

__all__ = ["router", "settings_command"]

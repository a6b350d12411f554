"""Pulse surveys: HR schedules short surveys; anonymous answers, reminders and safe results."""

from handlers.pulse.commands import router

__all__ = ["router"]

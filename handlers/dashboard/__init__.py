"""The insights dashboard: server-rendered pages behind one-time links."""

from handlers.dashboard.commands import dashboard_command

__all__ = ["dashboard_command"]

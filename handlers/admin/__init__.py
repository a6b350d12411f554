"""`/rapport`: help, personal settings, and role management for workspace admins."""

from handlers.admin.commands import feature, router

__all__ = ["feature", "router"]

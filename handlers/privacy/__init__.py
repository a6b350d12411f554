"""Privacy: everyone can export and erase what the bot holds about them; admins read the
audit log."""

from bot.contract.feature import Feature
from bot.contract.router import Router
from handlers.privacy import audit_commands, commands

router = Router()
router.include(commands.router)
router.include(audit_commands.router)
feature = Feature("privacy", router)

__all__ = ["feature", "router"]

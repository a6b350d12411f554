"""Mentoring matches and cross-team coffee pairing."""

from bot.contract.feature import Feature
from bot.contract.router import Router
from handlers.mentoring import coffee_commands, commands
from handlers.mentoring.settings import SECTION

router = Router()
router.include(commands.router)
router.include(coffee_commands.router)
router.settings_section(SECTION)
feature = Feature("mentoring", router)

__all__ = ["feature", "router"]

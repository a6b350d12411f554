"""Mentoring matches and cross-team coffee pairing."""

from bot.contract.router import Router
from handlers.mentoring import coffee_commands, commands
from handlers.mentoring.settings import SECTION

router = Router()
router.include(commands.router)
router.include(coffee_commands.router)
router.settings_section(SECTION)

__all__ = ["router"]

"""Mentoring matches: profiles, rounds, check-ins and feedback."""

from bot.contract.router import Router
from handlers.mentoring import commands
from handlers.mentoring.settings import SECTION

router = Router()
router.include(commands.router)
router.settings_section(SECTION)

__all__ = ["router"]

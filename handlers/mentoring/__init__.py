"""Mentoring matches and cross-team coffee pairing."""

from bot.router import Router
from handlers.mentoring import coffee_commands, commands

router = Router()
router.include(commands.router)
router.include(coffee_commands.router)

__all__ = ["router"]

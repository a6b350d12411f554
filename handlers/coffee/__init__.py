"""Cross-team coffee pairing: people opt in (or a channel's members are pooled) and are paired
every round with someone they have not met."""

from bot.contract.router import Router
from handlers.coffee import commands

router = Router()
router.include(commands.router)

__all__ = ["router"]

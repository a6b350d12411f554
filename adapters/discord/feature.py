"""What the Discord adapter adds to the bot whether or not Discord is configured: the
settings of its section, read and checked at start. Importing it loads no SDK."""

from adapters.discord.settings import SECTION
from bot.contract.feature import Feature
from bot.contract.router import Router

router = Router()
router.settings_section(SECTION)
feature = Feature("discord", router)

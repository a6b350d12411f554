"""Kudos: peer recognition by command or reaction, with values, allowances and leaderboards."""

from bot.contract.feature import Feature
from handlers.kudos.commands import router
from handlers.kudos.settings import SECTION

router.settings_section(SECTION)
feature = Feature("kudos", router)

__all__ = ["feature", "router"]

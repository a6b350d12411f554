"""Ideas: suggestions with one vote per person, stages, duplicate hints, merges and campaigns."""

from bot.contract.feature import Feature
from handlers.ideas.commands import router
from handlers.ideas.settings import SECTION

router.settings_section(SECTION)
feature = Feature("ideas", router)

__all__ = ["feature", "router"]

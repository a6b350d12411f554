"""Q&A: questions routed to the colleagues who know, with claims, answers and escalation."""

from bot.contract.feature import Feature
from handlers.qa.commands import router
from handlers.qa.settings import SECTION

router.settings_section(SECTION)
feature = Feature("qa", router)

__all__ = ["feature", "router"]

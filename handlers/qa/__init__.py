"""Q&A: questions routed to the colleagues who know, with claims, answers and escalation."""

from handlers.qa.commands import router
from handlers.qa.settings import SECTION

router.settings_section(SECTION)

__all__ = ["router"]

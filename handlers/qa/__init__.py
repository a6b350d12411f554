"""Q&A: questions routed to the colleagues who know, with claims, answers and escalation."""

from handlers.qa.commands import router

__all__ = ["router"]

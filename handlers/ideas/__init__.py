"""Ideas: suggestions with one vote per person, stages, duplicate hints, merges and campaigns."""

from handlers.ideas.commands import router

__all__ = ["router"]

"""Ideas: suggestions with one vote per person, stages, duplicate hints, merges and campaigns."""

from handlers.ideas.commands import router
from handlers.ideas.settings import SECTION

router.settings_section(SECTION)

__all__ = ["router"]

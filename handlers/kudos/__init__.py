"""Kudos: peer recognition by command or reaction, with values, allowances and leaderboards."""

from handlers.kudos.commands import router
from handlers.kudos.settings import SECTION

router.settings_section(SECTION)

__all__ = ["router"]

"""The weekly digest: community channels get the week's highlights, community managers the
private part by DM."""

from bot.contract.feature import Feature
from handlers.digest.commands import digest_command, router
from handlers.digest.settings import SECTION

router.settings_section(SECTION)
feature = Feature("digest", router)

__all__ = ["digest_command", "feature", "router"]

"""The weekly digest: community channels get the week's highlights, community managers the
private part by DM. Every feature gives its part (`Feature.digest`); this package imports
none of them."""

from bot.contract.feature import Feature
from bot.kit.personal_data import PersonalData
from handlers.digest import highlights
from handlers.digest.commands import digest_command, router
from handlers.digest.settings import SECTION
from handlers.digest.tables import DigestFeatured

router.settings_section(SECTION)
feature = Feature(
    "digest",
    router,
    tables=(DigestFeatured,),
    expiries=highlights.expiries,
    personal_data=PersonalData(
        labels={
            ("digest_featured", "person_id"): (
                "featured in the weekly digest's highlights"  # not translated: an export key
            )
        },
        personal_tables=frozenset({"digest_featured"}),
    ),
)

__all__ = ["digest_command", "feature", "router"]

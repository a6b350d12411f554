"""Kudos: peer recognition by command or reaction, with values, allowances and leaderboards."""

from bot.contract.feature import Feature
from handlers.kudos import dashboard, digest, history, home
from handlers.kudos.commands import router
from handlers.kudos.demo import seed_values
from handlers.kudos.personal_data import PERSONAL_DATA
from handlers.kudos.settings import SECTION
from handlers.kudos.tables import CompanyValue, Kudos

router.settings_section(SECTION)
feature = Feature(
    "kudos",
    router,
    tables=(CompanyValue, Kudos),
    personal_data=PERSONAL_DATA,
    demo=seed_values,
    history=history.edges,
    dashboard=dashboard.PARTS,
    digest=digest.part,
    home=home.part,
)

__all__ = ["feature", "router"]

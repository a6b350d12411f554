"""The insights dashboard: server-rendered pages behind one-time links.

Its pages are its contribution to the web server (bot/wiring/web.py mounts them); `/rapport
dashboard` (handlers/admin/commands.py) sends the links.
"""

from bot.contract.feature import Feature
from bot.contract.router import Router
from bot.kit.personal_data import PersonalData
from handlers.dashboard import retention
from handlers.dashboard.commands import dashboard_command
from handlers.dashboard.routes import mount
from handlers.dashboard.settings import SECTION
from handlers.dashboard.tables import DashboardLink

LINKS = "dashboard sign-in links"  # not translated: a key of the export file

router = Router()
router.settings_section(SECTION)
feature = Feature(
    "dashboard",
    router,
    tables=(DashboardLink,),
    expiries=retention.expiries,
    pages=mount,
    personal_data=PersonalData(
        labels={("dashboard_link", "person_id"): LINKS},
        personal_tables=frozenset({"dashboard_link"}),
    ),
)

__all__ = ["dashboard_command", "feature"]

"""What the Teams adapter adds to the bot whether or not Teams is configured: its tables (in
every schema), their retention rule and the setting of its window. Importing it loads no SDK."""

from adapters.teams import retention
from adapters.teams.settings import SECTION
from adapters.teams.tables import TeamsConversation, TeamsMessage, TeamsTeamMember
from bot.contract.feature import Feature
from bot.contract.router import Router

router = Router()
router.settings_section(SECTION)
feature = Feature(
    "teams",
    router,
    tables=(TeamsConversation, TeamsMessage, TeamsTeamMember),
    expiries=retention.expiries,
)

"""What the Teams adapter adds to the bot whether or not Teams is configured: its tables (in
every schema), their retention rule and the setting of its window, and the scheduled refresh
from Microsoft Graph (any replica may run it). Importing it loads no SDK."""

from adapters.teams import graph_schedule, retention
from adapters.teams.settings import SECTION
from adapters.teams.tables import TeamsConversation, TeamsMessage, TeamsTeamMember
from bot.contract.context import WorkContext
from bot.contract.feature import Feature
from bot.contract.router import Router

router = Router()
router.settings_section(SECTION)


@router.schedule(graph_schedule.KIND)
async def _graph_refresh(ctx: WorkContext) -> None:
    # Imported when it runs: the roster code needs the Teams SDK, which this module must not
    # load for a bot without Teams.
    from adapters.teams import roster

    await roster.refresh(ctx)


feature = Feature(
    "teams",
    router,
    tables=(TeamsConversation, TeamsMessage, TeamsTeamMember),
    expiries=retention.expiries,
)

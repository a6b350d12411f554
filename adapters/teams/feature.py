"""What the Teams adapter adds to the bot whether or not Teams is configured: its tables (in
every schema) and their retention rule. Importing it loads no SDK."""

from adapters.teams import retention
from adapters.teams.tables import TeamsConversation, TeamsMessage, TeamsTeamMember
from bot.contract.feature import Feature

feature = Feature(
    "teams", tables=(TeamsConversation, TeamsMessage, TeamsTeamMember), expiries=retention.expiries
)

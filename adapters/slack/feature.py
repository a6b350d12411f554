"""What the Slack adapter adds to the bot whether or not Slack is configured: its tables (in
every schema) and the settings of its section, read and checked at start. Importing it loads
no SDK. `rapport secrets reseal` (bot/wiring/cli.py) uses adapters/slack/token_reseal.py."""

from adapters.slack.settings import SECTION
from adapters.slack.tables import Installation, SlackGridTeam
from bot.contract.feature import Feature
from bot.contract.router import Router

router = Router()
router.settings_section(SECTION)
feature = Feature("slack", router, tables=(Installation, SlackGridTeam))

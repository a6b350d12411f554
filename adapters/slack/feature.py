"""What the Slack adapter adds to the bot whether or not Slack is configured: its tables (in
every schema). Importing it loads no SDK. `rapport secrets reseal` (bot/wiring/cli.py) uses
adapters/slack/token_reseal.py."""

from adapters.slack.tables import Installation, SlackGridTeam
from bot.contract.feature import Feature

feature = Feature("slack", tables=(Installation, SlackGridTeam))

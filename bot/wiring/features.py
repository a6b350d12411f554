"""Every feature the bot is built from: the features under handlers/ and what the adapters
contribute whether or not their platform is configured (their tables and retention rules)."""

from adapters.discord.feature import feature as discord
from adapters.slack.feature import feature as slack
from adapters.teams.feature import feature as teams
from bot.contract.feature import Feature, router_of
from bot.contract.router import Router
from handlers import features


def every_feature() -> tuple[Feature, ...]:
    return (*features(), slack, teams, discord)


def build_router() -> Router:
    """The router of every feature, which remembers them for their other contributions."""
    return router_of(every_feature())

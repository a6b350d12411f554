"""Microsoft Teams: the Agents SDK receives, Adaptive Cards render, the Bot Connector sends."""

from adapters.teams.app import TeamsAdapter
from adapters.teams.platform import TeamsPlatform

__all__ = ["TeamsAdapter", "TeamsPlatform"]

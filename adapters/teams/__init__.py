"""Microsoft Teams: the Agents SDK receives, Adaptive Cards render, the Bot Connector sends.

The adapter, and the SDK under it, loads on first use: the adapter's tables
(adapters/teams/tables.py) are part of every schema, Teams configured or not.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.teams.app import TeamsAdapter
    from adapters.teams.platform import TeamsPlatform

__all__ = ["TeamsAdapter", "TeamsPlatform"]


def __getattr__(name: str) -> Any:
    if name == "TeamsAdapter":
        from adapters.teams.app import TeamsAdapter

        return TeamsAdapter
    if name == "TeamsPlatform":
        from adapters.teams.platform import TeamsPlatform

        return TeamsPlatform
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

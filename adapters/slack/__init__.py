"""Slack: slack-bolt (async) receives, Block Kit renders, the Web API sends.

The adapter, and the SDK under it, loads on first use: the adapter's tables
(adapters/slack/tables.py) are part of every schema, Slack configured or not.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from adapters.slack.app import SlackAdapter
    from adapters.slack.platform import SlackPlatform

__all__ = ["SlackAdapter", "SlackPlatform"]


def __getattr__(name: str) -> Any:
    if name == "SlackAdapter":
        from adapters.slack.app import SlackAdapter

        return SlackAdapter
    if name == "SlackPlatform":
        from adapters.slack.platform import SlackPlatform

        return SlackPlatform
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

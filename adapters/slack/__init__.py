"""Slack: slack-bolt (async) receives, Block Kit renders, the Web API sends."""

from adapters.slack.app import SlackAdapter
from adapters.slack.platform import SlackPlatform

__all__ = ["SlackAdapter", "SlackPlatform"]

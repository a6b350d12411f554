"""The messages people react to, read from Slack once for a few minutes.

A reaction_added event names the message (channel and ts) but not its text, which a :tada:
kudos quotes as its reason; reading it takes conversations.history, a Web API method Slack
allows only a few dozen times a minute (for some apps once). Reactions come in bunches on the
same message (an announcement collects dozens of :tada:), so each message is read once and
kept in memory for a few minutes: the rate limit is spent on new messages, and the work of a
call (a tenth of a reaction's handling) too. Kept in memory only, and briefly: a person's
words are not stored here, and an edit shows once the entry expires.
"""

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.kit.expiring import Expiring

log = logging.getLogger(__name__)

KEEP_SECONDS = 300.0
KEEP_AT_MOST = 5000

# Author and text; ("", "") when the message cannot be read.
Found = tuple[str, str]


class ReactedMessages:
    def __init__(self) -> None:
        self._kept: Expiring[tuple[str, str, str], Found] = Expiring(KEEP_SECONDS, KEEP_AT_MOST)

    async def read(self, team: str, client: AsyncWebClient, channel: str, ts: str) -> Found:
        """Author and text of a message, from memory if it was read lately."""
        key = (team, channel, ts)
        kept = self._kept.find(key)
        if kept is not None:
            return kept[0]
        found = await _read(client, channel, ts)
        if found is None:
            return "", ""  # not kept: the next reaction tries again
        self._kept.put(key, found)
        return found


async def _read(client: AsyncWebClient, channel: str, ts: str) -> Found | None:
    """A thread reply is only found with conversations.replies. Without read access (a
    private channel the bot is not in, or a rate limit) the reaction still counts, without
    the text: None then."""
    try:
        found = await client.conversations_history(
            channel=channel, latest=ts, inclusive=True, limit=1
        )
        messages = [m for m in found["messages"] if m.get("ts") == ts]
        if not messages:
            found = await client.conversations_replies(
                channel=channel, ts=ts, latest=ts, inclusive=True, limit=1
            )
            messages = [m for m in found["messages"] if m.get("ts") == ts]
    except SlackApiError as failure:
        log.info("cannot read reacted message %s:%s: %s", channel, ts, failure)
        return None
    if not messages:
        return "", ""
    return str(messages[0].get("user") or ""), str(messages[0].get("text") or "")

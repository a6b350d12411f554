"""Slack's text markup in both directions.

Inbound, Slack escapes `&`, `<` and `>` and wraps mentions, channels and links in angle
brackets (`<@U123|ann>`, `<#C1|general>`, `<https://x|label>`, `<!here>`). The core wants
plain text with neutral mentions `<@U123>` only, so those become neutral mentions or plain
words, and angle brackets the person typed become look-alike guillemets (as bot.kit.safety does):
otherwise a typed `&lt;@U9&gt;` would turn into a forged mention.

Outbound, mrkdwn needs `&`, `<` and `>` escaped; the neutral mentions the core wrote are the
only markup let through.
"""

import re

_SLACK_MARKUP = re.compile(r"<([^<>]*)>")
_NEUTRAL_MENTION = re.compile(r"<@[A-Za-z0-9_.:\-]+>")


def _plain(match: re.Match[str]) -> str:
    target, _, label = match[1].partition("|")
    if target.startswith("@"):
        return f"<{target}>"
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!subteam^"):
        return label or "@group"
    if target.startswith("!"):
        # <!here>, <!channel>, <!date^...|fallback>: the words, never the ping.
        return label or "@" + target[1:].split("^", 1)[0]
    return label if label and label != target else target.removeprefix("mailto:")


def from_slack(text: str) -> str:
    """Slack's escaped text as the core's plain text with neutral mentions."""
    plain = _SLACK_MARKUP.sub(_plain, text)
    return plain.replace("&lt;", "‹").replace("&gt;", "›").replace("&amp;", "&")


def from_input(text: str) -> str:
    """A modal input's value, which Slack sends as typed (unescaped): angle brackets still
    become guillemets, so nothing typed there turns into a mention either."""
    return text.replace("<", "‹").replace(">", "›")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_slack(text: str) -> str:
    """Core text as mrkdwn: everything escaped except the neutral mentions."""
    parts: list[str] = []
    position = 0
    for mention in _NEUTRAL_MENTION.finditer(text):
        parts.append(_escape(text[position : mention.start()]))
        parts.append(mention[0])
        position = mention.end()
    parts.append(_escape(text[position:]))
    return "".join(parts)

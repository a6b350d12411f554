"""Channels as people type them in a command: a platform's mention (`<#C123|general>`,
`<#123>`) or a name with or without its # (`#général`, `開発`, `#команда-1`).

Platforms name channels in any script (Slack lowercases them and allows letters of every
alphabet, digits, "-" and "_"), so a name is read as the tags of bot.kit.tag_names are, with
digits allowed first. The name is kept as typed: the platform looks it up.
"""

import re

from bot.kit.tag_names import TagRule

MAX_LENGTH = 80
NAME = TagRule(max_length=MAX_LENGTH, signs="-_", digit_first=True)
# A platform's mention carries the channel's id, which is ASCII on every platform.
_MENTION = re.compile(r"^<#([A-Za-z0-9_\-]+)(?:\|[^>]*)?>$")
# The full-width ＃ of Chinese and Japanese keyboards is a # too.
_HASHES = "#＃"


def channel_in(word: str) -> str | None:
    """The channel `word` names (its id for a mention), or None if it names none."""
    mention = _MENTION.match(word)
    if mention:
        return mention[1]
    name = word[1:] if word[:1] and word[0] in _HASHES else word
    return name if NAME.is_name(name) else None

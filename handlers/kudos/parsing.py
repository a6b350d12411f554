"""Reading `/kudos @a @b reason #value`: recipients lead, tags anywhere, the rest is the reason."""

import re
from dataclasses import dataclass, field

from bot.kit.tag_names import TagRule

# "and" between recipients in each shipped language (Spanish writes "e" before an i sound);
# a conjunction counts only before another mention, so a reason may begin with "y'all".
_AND = r"(?:(?i:\b(?:and|et|und|y|e)\b)|と)(?=\s*<?@)"
_LEAD = re.compile(rf"\s*(?:<@(?P<id>[^>]+)>|@(?P<name>[\w.\-]+)|,|、|&|{_AND})")
# A company value's name, in any script: "#teamwork", "#チームワーク".
TAG = TagRule(max_length=40, signs="-_")
_MENTION = re.compile(r"<@([^>]+)>")


@dataclass
class KudosRequest:
    recipients: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    reason: str = ""


def parse_request(text: str) -> KudosRequest:
    request = KudosRequest()
    position = 0
    while match := _LEAD.match(text, position):
        if match["id"] and match["id"] not in request.recipients:
            request.recipients.append(match["id"])
        elif match["name"]:
            request.unknown.append(match["name"])
        position = match.end()
    rest = text[position:]
    request.tags = TAG.hashtags(rest)
    request.reason = " ".join(TAG.without_hashtags(rest).split())
    return request


def mentioned_ids(text: str) -> list[str]:
    return _MENTION.findall(text)


def replace_mentions(text: str, names: dict[str, str]) -> str:
    """Mentions inside a reason become plain names, so a reason never pings anyone."""
    return _MENTION.sub(lambda m: "@" + names.get(m[1], m[1]), text)


def find_tags(text: str) -> list[str]:
    return TAG.hashtags(text)

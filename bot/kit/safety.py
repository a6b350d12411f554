"""Neutralise user text before it is rendered anywhere.

Nothing a person types may ping a crowd (`@here`, `@channel`, `@everyone`, `<!channel>`),
mention someone through platform syntax (`<@U1>`, `<at>`, `<@&role>`), or inject markup (HTML).
Angle brackets become look-alike guillemets and crowd keywords get a zero-width joiner, so the
text still reads naturally but no platform parses it as anything special.
"""

import re
import unicodedata

from bot.kit.core_catalog import N_

_ZERO_WIDTH = "\u2060"
_CROWD = re.compile(r"@(here|channel|everyone|all|group)\b", re.IGNORECASE)
_BIDI_OVERRIDES = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _visible(ch: str) -> bool:
    if ch in "\n\t":
        return True
    return unicodedata.category(ch) != "Cc" and ch not in _BIDI_OVERRIDES


def neutralise(text: str) -> str:
    cleaned = "".join(ch for ch in text if _visible(ch))
    cleaned = cleaned.replace("<", "‹").replace(">", "›")
    return _CROWD.sub(lambda m: "@" + _ZERO_WIDTH + m.group(1), cleaned)


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters (never more, even for tiny limits); "…" marks a cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…" if limit >= 1 else ""


UNREADABLE = N_(
    "Your message has a character I can't read (a broken emoji or symbol, often from copying "
    "and pasting), so I did nothing with it. Please type it again without that character."
)


def readable(value: object) -> bool:
    """Whether every string in `value` (nested dicts and lists too) can be stored and sent:
    a lone surrogate such as "\\ud800" is valid in a Python str but in no encoding."""
    match value:
        case str():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
            return True
        case dict():
            return all(readable(k) and readable(v) for k, v in value.items())
        case list() | tuple():
            return all(readable(item) for item in value)
    return True

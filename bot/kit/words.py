"""Cutting a text into words, in any script, before stop words and stemming.

Full-width and half-width forms are folded (NFKC) and case is folded, so "ＡＰＩ" is "api" and
"Straße" is "strasse". A word is a run of letters and digits with the marks some scripts
write vowels with (Devanagari, Thai…), and may end in + or # ("c++", "c#"). Chinese and
Japanese are written without spaces: a run of their characters is one piece, which
tokenizing cuts further (see `kana` and `is_cjk`).
"""

import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3005\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Combining marks that are part of words in the scripts that write vowels with them; \w
# leaves them out, which would cut "हिन्दी" into pieces.
_MARKS = (
    r"\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    r"\u0900-\u0dff\u0e00-\u0e7f"
)
_PIECE = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>(?:(?![{_CJK}])[^\W_]|[{_MARKS}])+[+#]*)")
_CJK_START = re.compile(rf"[{_CJK}]")
_HIRAGANA = re.compile(r"[\u3040-\u309f]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")


def pieces(text: str) -> list[str]:
    """The text's words and runs of Chinese or Japanese characters, folded, in order."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [match[0] for match in _PIECE.finditer(folded)]


def is_cjk(piece: str) -> bool:
    return bool(_CJK_START.match(piece))


def has_kana(text: str) -> bool:
    """Whether the text uses kana, which only Japanese writes."""
    return bool(_KANA.search(text))


def is_hiragana(char: str) -> bool:
    return bool(_HIRAGANA.match(char))


@lru_cache(maxsize=4096)
def script(char: str) -> str:
    """The script a character is written in, as Unicode names it ("LATIN", "CYRILLIC"…).
    Digits count as Latin: "2fa" is stemmed like the words around it."""
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0] if name else ""
    return "LATIN" if first in ("", "DIGIT") else first


def weighed_length(text: str) -> int:
    """How long a text reads, for a minimum length: a letter of Chinese, Japanese or Korean
    (wide, and a word or most of one) counts as two, so that "調査" passes where "ab" would
    not."""
    return sum(2 if char.isalpha() and _wide(char) else 1 for char in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")

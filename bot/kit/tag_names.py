"""Names of tags, topics and company values, in any script: "#teamwork", "#チームワーク",
"#育児休暇", "#взаимопомощь".

A name starts with a letter (or, where a feature allows, a digit) and goes on with letters,
digits, the marks some scripts write vowels with, and the few signs the feature allows ("-",
"+" for "c++"). Names are kept folded (NFKC, lower case), so "#ＴｅａｍＷｏｒｋ" and "#teamwork"
are one tag. Python's \\w knows every script's letters but not their marks, hence the scan
by hand rather than a pattern.
"""

import re
import unicodedata
from dataclasses import dataclass

# A # (or the full-width ＃ of Chinese and Japanese keyboards) that starts a tag: not inside a
# word or an HTML entity ("&#39;"), a letter after it.
_HASH = re.compile(r"(?<![\w&])[#＃](?=[^\W\d_])")


@dataclass(frozen=True)
class TagRule:
    """What a feature accepts as a name: its longest length, whether it may start with a
    digit, and the signs it allows besides letters and digits."""

    max_length: int
    signs: str = "-"
    digit_first: bool = False

    def is_name(self, name: str) -> bool:
        if not name or len(name) > self.max_length or not self._starts(name[0]):
            return False
        return all(self._goes_on(char) for char in name[1:])

    def hashtags(self, text: str) -> list[str]:
        """The names tagged with # in `text`, folded, in order (each at most max_length)."""
        return [fold(text[start:end])[: self.max_length] for start, end in self._spans(text)]

    def without_hashtags(self, text: str) -> str:
        """`text` with its #tags taken out."""
        kept, position = [], 0
        for start, end in self._spans(text):
            kept.append(text[position : start - 1])
            position = end
        kept.append(text[position:])
        return "".join(kept)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for match in _HASH.finditer(text):
            end = match.end()
            while end < len(text) and self._goes_on(text[end]):
                end += 1
            spans.append((match.end(), end))
        return spans

    def _starts(self, char: str) -> bool:
        return char.isalpha() or (self.digit_first and char.isdigit())

    def _goes_on(self, char: str) -> bool:
        return char.isalnum() or char in self.signs or unicodedata.category(char)[0] == "M"


def fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).lower()

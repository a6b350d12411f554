"""Text similarity for questions (see bot.kit.text_similarity).

Answered questions are indexed once and queried many times: TF-IDF cosine for suggesting
answered questions like a new one, and BM25 over one profile per person (what they answered
well) for expertise, in chat and in the routing benchmark alike.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

from bot.kit.text_similarity import Index, words

P = TypeVar("P", bound=Hashable)

_STOP_WORDS = """a about after all also am an and any are as at be been before but by can could do
    does did for from get got has have how i if in into is it its just me my no not of on or our
    should so some than that the their them then there these they this to too up us was we what
    when where which who why will with would you your anyone know need question please thanks"""
_STOP = frozenset(_STOP_WORDS.split())


def tokens(text: str) -> list[str]:
    return words(text, _STOP)


@lru_cache(maxsize=16384)
def _bag(text: str) -> Counter[str]:
    """A text's terms, counted; cached because a replay indexes the same texts many times.
    Callers must not change the result."""
    return Counter(tokens(text))


def index(texts: Iterable[str]) -> Index:
    return Index.of(texts, tokens)


def similar(query: str, texts: Sequence[str], threshold: float, limit: int) -> list[int]:
    """Positions of the texts at least `threshold` alike to `query`, most alike first."""
    scored = sorted(
        ((score, position) for position, score in enumerate(index(texts).scores(query))),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [position for score, position in scored[:limit] if score >= threshold]


K1 = 1.2
B = 0.75


@dataclass
class Profiles(Generic[P]):
    """One bag of words per person (every text they answered well, weighted), scored by BM25.

    BM25 saturates repeated words (K1) and normalises for profile length (B), so a person
    who answered a hundred questions is not alike to everything; IDF is over profiles, so
    words everyone's profile holds count for little.
    """

    bags: dict[P, defaultdict[str, float]] = field(default_factory=dict)
    lengths: dict[P, float] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    mean_length: float = 0.0

    @classmethod
    def of(cls, texts: Iterable[tuple[P, str, float]]) -> "Profiles[P]":
        profiles: Profiles[P] = cls()
        for person, text, weight in texts:
            bag = profiles.bags.setdefault(person, defaultdict(float))
            for term, n in _bag(text).items():
                bag[term] += weight * n
        frequency: Counter[str] = Counter()
        for person, bag in profiles.bags.items():
            frequency.update(bag.keys())
            profiles.lengths[person] = sum(bag.values())
        count = len(profiles.bags)
        profiles.idf = {
            term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }
        profiles.mean_length = sum(profiles.lengths.values()) / count if count else 0.0
        return profiles

    def scores(self, query: str) -> dict[P, float]:
        """BM25 of `query` against each profile that shares a word with it."""
        terms = set(tokens(query)) & self.idf.keys()
        found: dict[P, float] = {}
        for person, bag in self.bags.items():
            norm = K1 * (1 - B + B * self.lengths[person] / (self.mean_length or 1.0))
            score = sum(
                self.idf[t] * bag[t] * (K1 + 1) / (bag[t] + norm) for t in terms if t in bag
            )
            if score > 0:
                found[person] = score
        return found

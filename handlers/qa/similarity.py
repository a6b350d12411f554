"""Text similarity for questions (see bot.kit.text_similarity).

Answered questions are indexed once and queried many times: TF-IDF cosine for suggesting
answered questions like a new one, and BM25 over one profile per person (what they answered
well) for expertise, in chat and in the routing benchmark alike.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Generic, TypeVar

from bot.kit.text_similarity import Index
from bot.kit.tokenizing import shared_language, terms

P = TypeVar("P", bound=Hashable)

# Words any question may use without saying what it is about, in the languages shipped.
_QUESTION_WORDS = frozenset(
    (
        *("anyone", "know", "need", "question", "questions", "please", "thanks", "get", "got"),
        *("merci", "svp", "frage", "fragen", "danke", "bitte", "pregunta", "preguntas"),
        *("gracias", "favor"),
    )
)


def tokens(text: str, language: str | None = None) -> list[str]:
    return terms(text, language, _QUESTION_WORDS)


@lru_cache(maxsize=16384)
def _bag(text: str, language: str | None) -> Counter[str]:
    """A text's terms, counted; cached because a replay indexes the same texts many times.
    Callers must not change the result."""
    return Counter(tokens(text, language))


def index(texts: Iterable[str], language: str | None = None) -> Index:
    return Index.of(texts, partial(tokens, language=language))


def similar(
    query: str, texts: Sequence[str], threshold: float, limit: int, language: str | None = None
) -> list[int]:
    """Positions of the texts at least `threshold` alike to `query`, most alike first. The
    query's language (by its words, else `language`, the asker's, else the texts') is the
    hint for every text."""
    spoken = shared_language(query, texts, language)
    scored = sorted(
        ((score, position) for position, score in enumerate(index(texts, spoken).scores(query))),
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
    def of(
        cls, texts: Iterable[tuple[P, str, float]], language: str | None = None
    ) -> "Profiles[P]":
        """`language` is the workspace's, the hint for texts that do not show their own."""
        profiles: Profiles[P] = cls()
        for person, text, weight in texts:
            bag = profiles.bags.setdefault(person, defaultdict(float))
            for term, n in _bag(text, language).items():
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

    def scores(self, query: str, language: str | None = None) -> dict[P, float]:
        """BM25 of `query` (in `language`, the asker's, else guessed) against each profile
        that shares a term with it."""
        wanted = set(tokens(query, language)) & self.idf.keys()
        found: dict[P, float] = {}
        for person, bag in self.bags.items():
            norm = K1 * (1 - B + B * self.lengths[person] / (self.mean_length or 1.0))
            score = sum(
                self.idf[t] * bag[t] * (K1 + 1) / (bag[t] + norm) for t in wanted if t in bag
            )
            if score > 0:
                found[person] = score
        return found

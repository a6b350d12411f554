"""Local, deterministic text similarity for questions: TF-IDF cosine over an index.

Answered questions are indexed once and queried many times (suggestions in chat, expertise
from what people answered, the routing benchmark), so the index keeps document vectors and
document frequencies; a query is weighted with the same IDF. Words are lower-cased, stop
words dropped and plurals and -ing/-ed folded, so "payslips" finds "payslip".
"""

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_STOP_WORDS = """a about after all also am an and any are as at be been before but by can could do
    does did for from get got has have how i if in into is it its just me my no not of on or our
    should so some than that the their them then there these they this to too up us was we what
    when where which who why will with would you your anyone know need question please thanks"""
_STOP = frozenset(_STOP_WORDS.split())


def _stem(word: str) -> str:
    """Fold plurals, then -ing and -ed: "meetings", "meeting" and "meet" are one term."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


@dataclass
class Index:
    """TF-IDF vectors of a fixed set of documents, addressed by their position."""

    documents: list[Counter[str]] = field(default_factory=list)
    frequency: Counter[str] = field(default_factory=Counter)
    _vectors: list[dict[str, float]] | None = None

    @classmethod
    def of(cls, texts: Iterable[str]) -> "Index":
        index = cls()
        for text in texts:
            bag = Counter(tokens(text))
            index.documents.append(bag)
            index.frequency.update(bag.keys())
        return index

    def idf(self, term: str) -> float:
        # Smoothed: a term in every document still weighs a little; an unseen one the most.
        return math.log((1 + len(self.documents)) / (1 + self.frequency[term])) + 1

    def vector(self, bag: Counter[str]) -> dict[str, float]:
        return {term: (1 + math.log(n)) * self.idf(term) for term, n in bag.items()}

    def vectors(self) -> list[dict[str, float]]:
        if self._vectors is None:
            self._vectors = [self.vector(bag) for bag in self.documents]
        return self._vectors

    def scores(self, query: str) -> list[float]:
        """Cosine similarity (0..1) of `query` to each document, in the documents' order."""
        wanted = self.vector(Counter(tokens(query)))
        size = _norm(wanted)
        if not size:
            return [0.0] * len(self.documents)
        found = []
        for vector in self.vectors():
            dot = sum(weight * vector.get(term, 0.0) for term, weight in wanted.items())
            norm = size * _norm(vector)
            found.append(dot / norm if norm else 0.0)
        return found


def similar(query: str, texts: Sequence[str], threshold: float, limit: int) -> list[int]:
    """Positions of the texts at least `threshold` alike to `query`, most alike first."""
    scored = sorted(
        ((score, position) for position, score in enumerate(Index.of(texts).scores(query))),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [position for score, position in scored[:limit] if score >= threshold]

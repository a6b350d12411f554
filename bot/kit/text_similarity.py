"""Local, deterministic text similarity: TF-IDF cosine over an index of documents.

Texts become terms in their language (bot.kit.tokenizing: stop words dropped, words
stemmed, Chinese and Japanese cut into character pairs), so "meetings" and "meeting" are one
term, and so are "vélos" and "vélo". Weights are TF-IDF over the indexed texts, so terms
every text shares count for little and distinctive ones for a lot. The same inputs always
give the same scores, which keeps suggestions stable and testable.
"""

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Tokenizer = Callable[[str], list[str]]


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


@dataclass
class Index:
    """TF-IDF vectors of a fixed set of documents, addressed by their position.

    Indexed once and queried many times; a query is weighted with the documents' IDF.
    """

    tokenize: Tokenizer
    documents: list[Counter[str]] = field(default_factory=list)
    frequency: Counter[str] = field(default_factory=Counter)
    _vectors: list[dict[str, float]] | None = None

    @classmethod
    def of(cls, texts: Iterable[str], tokenize: Tokenizer) -> "Index":
        index = cls(tokenize)
        for text in texts:
            bag = Counter(tokenize(text))
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
        wanted = self.vector(Counter(self.tokenize(query)))
        size = _norm(wanted)
        if not size:
            return [0.0] * len(self.documents)
        found = []
        for vector in self.vectors():
            dot = sum(weight * vector.get(term, 0.0) for term, weight in wanted.items())
            norm = size * _norm(vector)
            found.append(dot / norm if norm else 0.0)
        return found

"""Local, deterministic text similarity for spotting duplicate ideas: TF-IDF cosine.

Words are lower-cased, stop words dropped and a light suffix stripping folds "meetings" and
"meeting" together. Weights are TF-IDF over the ideas compared (plus the new one), so words
every idea shares ("team", "we") count for little and distinctive words for a lot. The same
inputs always give the same scores, which keeps duplicate hints stable and testable.
"""

import math
import re
from collections import Counter
from collections.abc import Sequence

_WORD = re.compile(r"[a-z0-9]+")
_STOP_WORDS = """a about all an and any are as at be but by can could do for from get have how i
    if in into is it its let lets more most my no not of on or our should so than that the their
    them then there these they this to too up us was we what when where which who why will with
    would you your idea ideas"""
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


def _vector(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    return {term: (1 + math.log(n)) * idf[term] for term, n in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(weight * b.get(term, 0.0) for term, weight in a.items())
    norms = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norms if norms else 0.0


def scores(query: str, documents: Sequence[str]) -> list[float]:
    """Cosine similarity (0..1) of `query` to each document, in the documents' order."""
    bags = [Counter(tokens(text)) for text in (query, *documents)]
    total = len(bags)
    frequency = Counter(term for bag in bags for term in bag)
    # Smoothed IDF: a term in every text still weighs a little, so two one-word titles compare.
    idf = {term: math.log((1 + total) / (1 + n)) + 1 for term, n in frequency.items()}
    vectors = [_vector(bag, idf) for bag in bags]
    return [_cosine(vectors[0], other) for other in vectors[1:]]

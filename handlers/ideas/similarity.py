"""Text similarity for spotting duplicate ideas (see bot.kit.text_similarity).

The IDF is taken over the ideas compared plus the new one, so words every idea shares
("team", "we") count for little. The new idea's language (by its words, else its writer's,
else the one most ideas are written in) is the hint for reading every idea it is compared
with, so the same word is stemmed the same way on both sides.
"""

from collections.abc import Sequence
from functools import partial

from bot.kit.text_similarity import Index
from bot.kit.tokenizing import shared_language, terms

# Words every idea may use without saying what it is about, in the languages shipped.
_IDEA_WORDS = frozenset(
    ("idea", "ideas", "let", "lets", "get", "idée", "idées", "idee", "idees", "ideen")
)


def tokens(text: str, language: str | None = None) -> list[str]:
    return terms(text, language, _IDEA_WORDS)


def scores(query: str, documents: Sequence[str], language: str | None = None) -> list[float]:
    """Cosine similarity (0..1) of `query` to each document, in the documents' order."""
    tokenize = partial(tokens, language=shared_language(query, documents, language))
    return Index.of([query, *documents], tokenize).scores(query)[1:]

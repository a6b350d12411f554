"""Text similarity for spotting duplicate ideas (see bot.kit.text_similarity).

The IDF is taken over the ideas compared plus the new one, so words every idea shares
("team", "we") count for little.
"""

from collections.abc import Sequence

from bot.kit.text_similarity import Index, words

_STOP_WORDS = """a about all an and any are as at be but by can could do for from get have how i
    if in into is it its let lets more most my no not of on or our should so than that the their
    them then there these they this to too up us was we what when where which who why will with
    would you your idea ideas"""
_STOP = frozenset(_STOP_WORDS.split())


def tokens(text: str) -> list[str]:
    return words(text, _STOP)


def scores(query: str, documents: Sequence[str]) -> list[float]:
    """Cosine similarity (0..1) of `query` to each document, in the documents' order."""
    return Index.of([query, *documents], tokens).scores(query)[1:]

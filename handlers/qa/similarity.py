"""Text similarity for questions (see bot.text_similarity).

Answered questions are indexed once and queried many times (suggestions in chat, expertise
from what people answered, the routing benchmark).
"""

from collections.abc import Iterable, Sequence

from bot.text_similarity import Index, words

_STOP_WORDS = """a about after all also am an and any are as at be been before but by can could do
    does did for from get got has have how i if in into is it its just me my no not of on or our
    should so some than that the their them then there these they this to too up us was we what
    when where which who why will with would you your anyone know need question please thanks"""
_STOP = frozenset(_STOP_WORDS.split())


def tokens(text: str) -> list[str]:
    return words(text, _STOP)


def index(texts: Iterable[str]) -> Index:
    return Index.of(texts, tokens)


def similar(query: str, texts: Sequence[str], threshold: float, limit: int) -> list[int]:
    """Positions of the texts at least `threshold` alike to `query`, most alike first."""
    scored = sorted(
        ((score, position) for position, score in enumerate(index(texts).scores(query))),
        key=lambda pair: (-pair[0], pair[1]),
    )
    return [position for score, position in scored[:limit] if score >= threshold]

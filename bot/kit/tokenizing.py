"""A text's terms for matching, in its language: words without stop words, stemmed.

The language is the one given (the writer's, when known) unless the text clearly says
otherwise, else guessed (see language_guess); with neither, English, which keeps the rules
as they were for the texts this bot has always matched. Chinese and Japanese have no spaces
between words, so their runs of characters become overlapping pairs (bigrams): "会議室"
gives "会議" and "議室", and a text with "会議" finds one with "会議室". In Japanese, runs of
hiragana between kanji or katakana are mostly particles and verb endings ("を", "する") and
are left out; in Chinese, the commonest function characters ("的", "了") split runs.
"""

from collections.abc import Iterator, Sequence

from bot.kit.language_guess import guess_pieces
from bot.kit.stemming import language_code, stem
from bot.kit.stop_words import stop_words
from bot.kit.words import is_cjk, is_hiragana, pieces


def terms(
    text: str, language: str | None = None, extra_stop: frozenset[str] = frozenset()
) -> list[str]:
    """The text's terms, in order. `extra_stop` holds a feature's own words to ignore
    ("idea", "question"), compared before stemming."""
    return [term for term, _ in worded_terms(text, language, extra_stop)]


def worded_terms(
    text: str, language: str | None = None, extra_stop: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """`terms`, each with the word it was read from (folded, before stemming), for showing
    a term as people wrote it: "meeting" for the term "meet". A Chinese or Japanese term is
    its own word."""
    found = pieces(text)
    spoken = guess_pieces(found, language_code(language)) or "en"
    stop = stop_words(spoken) | extra_stop
    japanese = spoken == "ja"
    result: list[tuple[str, str]] = []
    for piece in found:
        if is_cjk(piece):
            result.extend((term, term) for term in _cjk_terms(piece, japanese, stop))
        elif piece not in stop:
            result.append((stem(piece, spoken), piece))
    return result


def text_language(text: str, language: str | None = None) -> str:
    """The language `terms` reads `text` in: give it to the texts compared with it."""
    return guess_pieces(pieces(text), language_code(language)) or "en"


def shared_language(query: str, others: Sequence[str], language: str | None = None) -> str:
    """The language to read `query` and the texts compared with it in (give it to `terms`
    as theirs): the query's by its own words, else `language`, else the one most of
    `others` are written in, so one word is stemmed one way on both sides."""
    hint = language_code(language) or guess_pieces(pieces(" ".join(others)))
    return text_language(query, hint)


def _cjk_terms(run: str, japanese: bool, stop: frozenset[str]) -> Iterator[str]:
    for part in _parts(run, japanese, stop):
        if len(part) == 1:
            yield part
        else:
            yield from (part[i : i + 2] for i in range(len(part) - 1))


def _parts(run: str, japanese: bool, stop: frozenset[str]) -> list[str]:
    """The run cut where words surely end: at hiragana in Japanese with kanji or katakana
    around it, at stop characters in Chinese."""
    if japanese:
        if all(is_hiragana(char) for char in run):
            return [run]
        cut = "".join(" " if is_hiragana(char) else char for char in run)
    else:
        cut = "".join(" " if char in stop else char for char in run)
    return cut.split()

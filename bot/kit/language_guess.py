"""A light guess of a text's language, for matching text whose writer's language is unknown.

First by script: kana is Japanese, Han characters without kana Chinese (unless the hint is
Japanese), Hangul Korean, and a text mostly in another single script takes that script's
usual language. A Latin-script text is the language whose stop words it uses most ("le",
"und", "the"), a word shared by several languages counting less, and letters few languages
write ("ñ", "ß", "ã") counting too. This is enough to pick a stemmer; it is not a language
identifier, and a short text with no stop word is not guessed at all.

`hint` is what is known beforehand (the writer's language, or the language of the text
being compared with): it decides when the text's own words do not clearly say otherwise, so
a French speaker's "réunions" is French, and the same speaker's "the meetings" English.
"""

from collections import Counter
from collections.abc import Sequence

from bot.kit.stemming import writes
from bot.kit.stop_words import LATIN, STOP_WORDS
from bot.kit.words import has_kana, is_cjk, pieces, script

_BY_SCRIPT = {
    "CYRILLIC": "ru",
    "GREEK": "el",
    "ARABIC": "ar",
    "DEVANAGARI": "hi",
    "HANGUL": "ko",
    "HEBREW": "he",
    "THAI": "th",
}


def guess(text: str, hint: str | None = None) -> str | None:
    """The ISO 639-1 code of the text's language, `hint` when unsure, None when nothing says."""
    return guess_pieces(pieces(text), hint)


def guess_pieces(found: Sequence[str], hint: str | None = None) -> str | None:
    """`guess` for a text already cut by words.pieces."""
    cjk = [piece for piece in found if is_cjk(piece)]
    if cjk:
        # Japanese can be written in kanji alone ("有給休暇"): then only the hint tells.
        kana = any(has_kana(piece) for piece in cjk)
        return "ja" if kana or hint == "ja" else "zh"
    scripts = Counter(script(piece[0]) for piece in found)
    if not scripts:
        return hint
    main, _ = scripts.most_common(1)[0]
    if main != "LATIN":
        return hint if hint and writes(hint) == main else _BY_SCRIPT.get(main, hint)
    return _by_stop_words(found, hint)


def _speakers() -> dict[str, tuple[str, ...]]:
    """Each stop word's languages."""
    found: dict[str, tuple[str, ...]] = {}
    for language in LATIN:
        for word in STOP_WORDS[language]:
            found[word] = (*found.get(word, ()), language)
    return found


_SPEAKERS = _speakers()
# Letters that only one or two of the candidate languages write.
_LETTERS = {
    **dict.fromkeys("ãõ", ("pt",)),
    **dict.fromkeys("ñ", ("es",)),
    **dict.fromkeys("ßäöü", ("de",)),
    **dict.fromkeys("œ", ("fr",)),
    **dict.fromkeys("ìò", ("it",)),
    **dict.fromkeys("èù", ("fr", "it")),
    **dict.fromkeys("êç", ("fr", "pt")),
}


def _lettered(word: str) -> tuple[str, ...]:
    return next((_LETTERS[char] for char in word if char in _LETTERS), ())


def _by_stop_words(found: Sequence[str], hint: str | None) -> str | None:
    votes = dict.fromkeys(LATIN, 0.0)
    for word in found:
        lettered = () if word.isascii() else _lettered(word)
        for languages in (_SPEAKERS.get(word, ()), lettered):
            for language in languages:
                # A sign several languages share says less about each of them.
                votes[language] += 1 / len(languages)
    best = max(votes.values())
    if best == 0 or (hint in votes and votes[hint] >= best):
        return hint
    # Ties go to the first language in LATIN's order, so the guess is always the same.
    return next(language for language in LATIN if votes[language] == best)

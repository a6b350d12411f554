"""Stemming per language with the Snowball stemmers: "vélos" is "vélo", "Fahrräder" "fahrrad".

A word is stemmed in the text's language when that language is written in the word's
script, else in its script's most common language (an English product name in a Japanese
question is stemmed as English, a Russian word in a German text as Russian). Latin letters
then lose their accents, so "velo" typed without them still finds "vélo".
"""

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.kit.words import script

if TYPE_CHECKING:
    from snowballstemmer.basestemmer import BaseStemmer

# ISO 639-1 code -> (Snowball algorithm, script), for the languages Snowball stems.
_SNOWBALL = {
    "ar": ("arabic", "ARABIC"),
    "ca": ("catalan", "LATIN"),
    "cs": ("czech", "LATIN"),
    "da": ("danish", "LATIN"),
    "de": ("german", "LATIN"),
    "el": ("greek", "GREEK"),
    "en": ("english", "LATIN"),
    "eo": ("esperanto", "LATIN"),
    "es": ("spanish", "LATIN"),
    "et": ("estonian", "LATIN"),
    "eu": ("basque", "LATIN"),
    "fa": ("persian", "ARABIC"),
    "fi": ("finnish", "LATIN"),
    "fr": ("french", "LATIN"),
    "ga": ("irish", "LATIN"),
    "hi": ("hindi", "DEVANAGARI"),
    "hu": ("hungarian", "LATIN"),
    "hy": ("armenian", "ARMENIAN"),
    "id": ("indonesian", "LATIN"),
    "it": ("italian", "LATIN"),
    "lt": ("lithuanian", "LATIN"),
    "nb": ("norwegian", "LATIN"),
    "ne": ("nepali", "DEVANAGARI"),
    "nl": ("dutch", "LATIN"),
    "no": ("norwegian", "LATIN"),
    "pl": ("polish", "LATIN"),
    "pt": ("portuguese", "LATIN"),
    "ro": ("romanian", "LATIN"),
    "ru": ("russian", "CYRILLIC"),
    "sr": ("serbian", "CYRILLIC"),
    "sv": ("swedish", "LATIN"),
    "ta": ("tamil", "TAMIL"),
    "tr": ("turkish", "LATIN"),
}
# The language a word is stemmed in when the text's language is written in another script.
_BY_SCRIPT = {"LATIN": "en", "CYRILLIC": "ru", "GREEK": "el", "ARABIC": "ar", "DEVANAGARI": "hi"}


def language_code(language: str | None) -> str | None:
    """ "pt-BR", "fr_CA", "DE" -> "pt", "fr", "de"; None stays None."""
    if not language:
        return None
    return language.replace("_", "-").split("-", 1)[0].lower() or None


def writes(language: str | None) -> str | None:
    """The script `language` is stemmed in, or None if Snowball has no stemmer for it."""
    known = _SNOWBALL.get(language or "")
    return known[1] if known else None


@lru_cache(maxsize=64)
def _stemmer(algorithm: str) -> "BaseStemmer":
    # Imported with the first word stemmed: it loads every language's stemmer at once, which
    # the bot's start does without.
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm)


@lru_cache(maxsize=65536)
def stem(word: str, language: str | None) -> str:
    """`word` (already case-folded) stemmed for `language`, or as it is where no stemmer fits.
    Cached: Snowball is pure Python, and the same words come back in every text."""
    word_script = script(word[0])
    if writes(language) != word_script:
        language = _BY_SCRIPT.get(word_script)
    if language is None:
        return word
    stemmed: str = _stemmer(_SNOWBALL[language][0]).stemWord(word)
    if language == "fr":
        stemmed = _french_plural(stemmed)
    return _unaccented(stemmed) if word_script == "LATIN" else stemmed


def _french_plural(stem: str) -> str:
    # Snowball French keeps the s after a vowel ("vélos"), so plural and singular differ.
    if len(stem) > 3 and stem[-1] in "sx" and stem[-2] != "s":
        return stem[:-1]
    return stem


def _unaccented(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

"""How long a text reads: the measure of the shortest pulse title and kudos reason."""

import pytest

from bot.kit.words import weighed_length


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("thanks!", 7),
        ("助かりました", 12),  # kanji and hiragana: two each
        ("カメラ", 6),  # katakana
        ("ｶﾒﾗ", 3),  # half-width katakana reads as narrow as Latin
        ("고마워요", 8),  # Hangul
        ("ありがとう！", 11),  # a wide mark is not a letter: one
        ("Q&A 調査", 8),
    ],
)
def test_a_wide_letter_weighs_two_and_everything_else_one(text: str, length: int) -> None:
    assert weighed_length(text) == length

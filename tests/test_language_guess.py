"""The light language guess: script first, then stop words, the hint when unsure."""

import pytest

from bot.kit.language_guess import guess


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("How do I book the meeting room?", "en"),
        ("Comment réserver la salle de réunion ?", "fr"),
        ("Wie buche ich den Besprechungsraum für das Team?", "de"),
        ("¿Cómo reservo la sala de reuniones para el equipo?", "es"),
        ("Come prenoto la sala riunioni per il team?", "it"),
        ("Como reservo a sala de reunião para a equipe?", "pt"),
        ("Hoe boek ik de vergaderruimte voor het team?", "nl"),
        ("Как забронировать переговорную?", "ru"),
        ("Πώς κλείνω την αίθουσα;", "el"),
        ("会議室を予約するには?", "ja"),
        ("怎么预订会议室?", "zh"),
        ("회의실 예약 방법", "ko"),
    ],
)
def test_each_language_is_told_by_its_script_or_its_stop_words(text: str, language: str) -> None:
    assert guess(text) == language


def test_without_evidence_the_hint_decides_and_without_a_hint_nothing_does() -> None:
    assert guess("Payroll") is None
    assert guess("Payroll", "de") == "de"
    assert guess("") is None and guess("", "fr") == "fr"


def test_the_hint_wins_ties_and_loses_to_clearer_evidence() -> None:
    # "de" is a stop word in French, Spanish and Portuguese alike.
    assert guess("vélos de ville") == "fr"
    assert guess("vélos de ville", "es") == "es"
    assert guess("the bikes in the garage", "de") == "en"


def test_a_cyrillic_text_keeps_a_cyrillic_hint() -> None:
    assert guess("велосипеды", "sr") == "sr"
    assert guess("велосипеды", "fr") == "ru"

"""Counts read as English: one of a thing, many things."""

from bot.kit.wording import counted


def test_counted_picks_the_form_that_fits_the_number() -> None:
    assert counted(1, "question") == "1 question"
    assert counted(0, "question") == "0 questions"
    assert counted(2, "group") == "2 groups"
    assert counted(1, "person", "people") == "1 person"
    assert counted(1200, "person", "people") == "1,200 people"

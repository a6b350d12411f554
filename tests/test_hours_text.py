"""Hours and days as people type them: one reading for every feature (bot/kit/hours_text.py)."""

from datetime import time

import pytest

from bot.kit.hours_text import days, hour_range, just_hours, working_hours


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("9:00 to 17:30", time(9), time(17, 30)),
        ("0900-1700", time(9), time(17)),
        ("22.00–07.00", time(22), time(7)),
        ("9-17", time(9), time(17)),
        ("8h30-16h30", time(8, 30), time(16, 30)),
        ("0-24", time(0), time(23, 59)),
    ],
)
def test_hour_ranges_are_read_in_the_usual_spellings(text: str, start: time, end: time) -> None:
    assert hour_range(text) == (start, end, "")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("", (0, 1, 2, 3, 4)),
        ("sun-thu", (0, 1, 2, 3, 6)),
        ("fri-mon", (0, 4, 5, 6)),
        ("mon,wed,fri", (0, 2, 4)),
        ("Monday-Tuesday", (0, 1)),
    ],
)
def test_working_days_are_read_as_ranges_or_lists(text: str, found: tuple[int, ...]) -> None:
    assert days(text) == found


def test_working_hours_come_with_their_days() -> None:
    assert working_hours("08:30-16:30 mon-thu") == (time(8, 30), time(16, 30), (0, 1, 2, 3))
    assert working_hours("9-17") == (time(9), time(17), (0, 1, 2, 3, 4))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("17-9", "must start before they end"),
        ("nine to five", "is not working hours like 09:00-17:00 mon-fri"),
        ("9-17 someday", "'someday' is not a day or days"),
        ("9-25", "25 is not a time of day"),
        ("9:75-17", "9:75 is not a time of day"),
    ],
)
def test_bad_hours_say_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        working_hours(text)


def test_just_hours_run_past_midnight_and_take_nothing_after() -> None:
    assert just_hours("22:00-07:00") == (time(22), time(7))
    with pytest.raises(ValueError, match="is not a range like 09:00-17:00"):
        just_hours("22-7 mon")

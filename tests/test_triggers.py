"""Trigger maths (bot/time/triggers.py): cron in a time zone, DST both ways, catch-up, bad specs."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from apscheduler.triggers.base import BaseTrigger

from bot.time.triggers import anchored, catch_up, first_fire, make_trigger, next_fire

LONDON = "Europe/London"
HOUR = timedelta(hours=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def as_utc(*moments: datetime | None) -> tuple[datetime | None, ...]:
    """In UTC: Python never finds an ambiguous local time equal to a time in another zone."""
    return tuple(m.astimezone(UTC) if m else None for m in moments)


def fires(trigger: BaseTrigger, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in [start, end), in UTC; bounded so a stuck trigger fails, not hangs."""
    found: list[datetime] = []
    fire = first_fire(trigger, start)
    while fire is not None and fire < end:
        found.append(fire.astimezone(UTC))
        assert len(found) < 1000, "the trigger does not move forward"
        fire = next_fire(trigger, fire)
    return found


def test_cron_fires_at_local_time_of_its_zone() -> None:
    # Weekdays at 09:30 in New York (EST, UTC-5, in January).
    trigger = make_trigger(
        {"type": "cron", "day_of_week": "mon-fri", "hour": 9, "minute": 30}, "America/New_York"
    )
    got = fires(trigger, utc(2027, 1, 4), utc(2027, 1, 11))  # Monday to Monday
    assert got == [utc(2027, 1, d, 14, 30) for d in (4, 5, 6, 7, 8)]


def test_crontab_expression_is_read_in_the_zone() -> None:
    trigger = make_trigger({"type": "cron", "expression": "0 17 * * fri"}, "Asia/Tokyo")
    assert fires(trigger, utc(2027, 1, 1), utc(2027, 1, 16)) == [
        utc(2027, 1, 1, 8),
        utc(2027, 1, 8, 8),
        utc(2027, 1, 15, 8),
    ]


def test_first_fire_includes_start_and_next_fire_is_strictly_after() -> None:
    trigger = make_trigger({"type": "cron", "hour": 9, "minute": 0}, "UTC")
    assert first_fire(trigger, utc(2027, 1, 4, 9)) == utc(2027, 1, 4, 9)
    assert next_fire(trigger, utc(2027, 1, 4, 9)) == utc(2027, 1, 5, 9)


def test_daily_0900_london_moves_an_hour_in_utc_on_the_last_sunday_of_march() -> None:
    trigger = make_trigger({"type": "cron", "hour": 9, "minute": 0}, LONDON)
    got = fires(trigger, utc(2027, 3, 25), utc(2027, 3, 31))
    assert got == [
        utc(2027, 3, 25, 9),
        utc(2027, 3, 26, 9),
        utc(2027, 3, 27, 9),
        utc(2027, 3, 28, 8),  # clocks went forward at 01:00 UTC that morning
        utc(2027, 3, 29, 8),
        utc(2027, 3, 30, 8),
    ]


def test_daily_time_that_does_not_exist_on_spring_forward_day_fires_once_each_day() -> None:
    # 01:30 London does not exist on 2027-03-28 (01:00 GMT jumps to 02:00 BST).
    trigger = make_trigger({"type": "cron", "hour": 1, "minute": 30}, LONDON)
    got = fires(trigger, utc(2027, 3, 24), utc(2027, 4, 1))
    days = [fire.date() for fire in got]
    assert days == [date(2027, 3, d) for d in range(24, 32)]
    assert got[:4] == [utc(2027, 3, d, 1, 30) for d in (24, 25, 26, 27)]
    assert utc(2027, 3, 28, 1) <= got[4] < utc(2027, 3, 28, 2)  # once, in the first hour of BST
    assert got[5:] == [utc(2027, 3, d, 0, 30) for d in (29, 30, 31)]


def test_daily_time_repeated_on_fall_back_day_fires_once_and_moves_on() -> None:
    # 01:30 London happens twice on 2027-10-31 (02:00 BST falls back to 01:00 GMT).
    trigger = make_trigger({"type": "cron", "hour": 1, "minute": 30}, LONDON)
    got = fires(trigger, utc(2027, 10, 29), utc(2027, 11, 3))
    assert got == [
        utc(2027, 10, 29, 0, 30),
        utc(2027, 10, 30, 0, 30),
        utc(2027, 10, 31, 0, 30),
        utc(2027, 11, 1, 1, 30),
        utc(2027, 11, 2, 1, 30),
    ]


def test_catch_up_across_the_repeated_hour_runs_one_pass_and_moves_on() -> None:
    trigger = make_trigger({"type": "cron", "hour": 1, "minute": 30}, LONDON)
    on_time = catch_up(trigger, utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 0, 30), HOUR)
    assert as_utc(*on_time) == (utc(2027, 10, 31, 0, 30), utc(2027, 11, 1, 1, 30))
    # Down through the first pass: the second one, still within grace, runs instead (and
    # before the fix, stepping past it looped forever).
    late = catch_up(trigger, utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 2), HOUR)
    assert as_utc(*late) == (utc(2027, 10, 31, 1, 30), utc(2027, 11, 1, 1, 30))


def test_hourly_cron_still_fires_in_both_passes_of_the_repeated_hour() -> None:
    trigger = make_trigger({"type": "cron", "minute": 30}, LONDON)
    got = fires(trigger, utc(2027, 10, 30, 23), utc(2027, 10, 31, 3))
    assert got == [utc(2027, 10, 30, 23, 30), *(utc(2027, 10, 31, h, 30) for h in (0, 1, 2))]


def test_catch_up_on_time_runs_the_period_and_returns_the_next() -> None:
    trigger = make_trigger({"type": "cron", "hour": 9, "minute": 0}, "UTC")
    period, upcoming = catch_up(trigger, utc(2027, 1, 4, 9), utc(2027, 1, 4, 9), HOUR)
    assert (period, upcoming) == (utc(2027, 1, 4, 9), utc(2027, 1, 5, 9))


def test_catch_up_coalesces_missed_periods_into_the_latest_within_grace() -> None:
    # Every 10 minutes; down from 09:00 to 09:55 with a 30-minute grace window.
    trigger = make_trigger({"type": "cron", "minute": "*/10"}, "UTC")
    period, upcoming = catch_up(
        trigger, utc(2027, 1, 4, 9), utc(2027, 1, 4, 9, 55), timedelta(minutes=30)
    )
    assert (period, upcoming) == (utc(2027, 1, 4, 9, 50), utc(2027, 1, 4, 10))


def test_catch_up_runs_a_missed_period_still_inside_the_grace_window() -> None:
    trigger = make_trigger({"type": "cron", "hour": 9, "minute": 0}, "UTC")
    period, upcoming = catch_up(trigger, utc(2027, 1, 4, 9), utc(2027, 1, 4, 9, 59), HOUR)
    assert (period, upcoming) == (utc(2027, 1, 4, 9), utc(2027, 1, 5, 9))


def test_catch_up_skips_periods_older_than_the_grace_window() -> None:
    trigger = make_trigger({"type": "cron", "hour": 9, "minute": 0}, "UTC")
    # Down for three days: every missed 09:00 is more than an hour old.
    period, upcoming = catch_up(trigger, utc(2027, 1, 4, 9), utc(2027, 1, 7, 10, 1), HOUR)
    assert (period, upcoming) == (None, utc(2027, 1, 8, 9))


def test_catch_up_before_the_time_runs_nothing() -> None:
    trigger = make_trigger({"type": "cron", "hour": 9, "minute": 0}, "UTC")
    period, upcoming = catch_up(trigger, utc(2027, 1, 4, 9), utc(2027, 1, 4, 8, 59), HOUR)
    assert (period, upcoming) == (None, utc(2027, 1, 4, 9))


def test_interval_counts_from_its_start() -> None:
    spec = {"type": "interval", "hours": 6, "start": "2027-01-04T03:00:00+00:00"}
    trigger = make_trigger(spec, "UTC")
    assert fires(trigger, utc(2027, 1, 4, 4), utc(2027, 1, 5)) == [
        utc(2027, 1, 4, 9),
        utc(2027, 1, 4, 15),
        utc(2027, 1, 4, 21),
    ]


def test_interval_keeps_elapsed_time_across_dst() -> None:
    spec = {"type": "interval", "days": 1, "start": "2027-03-27T09:00:00+00:00"}
    got = fires(make_trigger(spec, LONDON), utc(2027, 3, 27), utc(2027, 3, 30))
    assert got == [utc(2027, 3, d, 9) for d in (27, 28, 29)]


def test_anchored_interval_first_fires_one_interval_after_it_was_added() -> None:
    now = utc(2027, 1, 4, 9, 17)
    spec = anchored({"type": "interval", "minutes": 30}, now)
    assert spec["start"] == "2027-01-04T09:47:00+00:00"
    assert anchored(spec, now + HOUR) == spec  # an existing start is kept
    trigger = make_trigger(spec, "UTC")
    assert fires(trigger, now, now + 2 * HOUR) == [
        utc(2027, 1, 4, 9, 47),
        utc(2027, 1, 4, 10, 17),
        utc(2027, 1, 4, 10, 47),
    ]
    # Rebuilt later (as the scheduler does at each firing), it keeps the same times.
    later = utc(2027, 1, 4, 9, 57)
    period, upcoming = catch_up(make_trigger(spec, "UTC"), utc(2027, 1, 4, 9, 47), later, HOUR)
    assert (period, upcoming) == (utc(2027, 1, 4, 9, 47), utc(2027, 1, 4, 10, 17))


def test_date_fires_once_in_its_zone() -> None:
    trigger = make_trigger({"type": "date", "at": "2027-06-01T09:00:00"}, LONDON)
    assert fires(trigger, utc(2027, 1, 1), utc(2028, 1, 1)) == [utc(2027, 6, 1, 8)]
    assert next_fire(trigger, utc(2027, 6, 1, 8)) is None


def test_date_in_the_past_never_fires() -> None:
    trigger = make_trigger({"type": "date", "at": "2027-01-01T09:00:00+00:00"}, "UTC")
    assert first_fire(trigger, utc(2027, 1, 4)) is None
    assert catch_up(trigger, utc(2027, 1, 1, 9), utc(2027, 1, 4), HOUR) == (None, None)


@pytest.mark.parametrize(
    ("spec", "timezone"),
    [
        ({"type": "weekly"}, "UTC"),
        ({}, "UTC"),
        ({"type": "cron", "hour": 25}, "UTC"),
        ({"type": "cron", "day_of_week": "someday"}, "UTC"),
        ({"type": "cron", "hours": 9}, "UTC"),  # misspelt field
        ({"type": "cron", "expression": "0 9 *"}, "UTC"),
        ({"type": "cron", "hour": 9}, "Mars/Olympus_Mons"),
        ({"type": "interval", "start": "2027-01-04T09:00:00+00:00"}, "UTC"),  # no length
        ({"type": "interval", "hours": 0, "start": "2027-01-04T09:00:00+00:00"}, "UTC"),
        ({"type": "interval", "hours": 1}, "UTC"),  # no start
        ({"type": "interval", "hours": "two", "start": "2027-01-04T09:00:00+00:00"}, "UTC"),
        ({"type": "interval", "hours": 1, "start": "whenever"}, "UTC"),
        ({"type": "date"}, "UTC"),
        ({"type": "date", "at": "next tuesday"}, "UTC"),
    ],
)
def test_bad_spec_raises_value_error(spec: dict[str, Any], timezone: str) -> None:
    with pytest.raises(ValueError):
        make_trigger(spec, timezone)

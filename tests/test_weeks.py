"""Calendar weeks: Monday to Monday in the workspace's time zone, as the digest counts them."""

from datetime import UTC, datetime, timedelta

from bot.kit.tallies import per_week
from bot.time.weeks import complete_weeks, monday_of


def test_weeks_run_monday_to_monday_local_time_across_a_clock_change() -> None:
    # Sunday 2026-11-01 09:00 UTC: Europe/Berlin left summer time on 2026-10-25.
    now = datetime(2026, 11, 1, 9, tzinfo=UTC)
    weeks = complete_weeks(now, 3, "Europe/Berlin")
    assert [w.label for w in weeks] == ["2026-10-05", "2026-10-12", "2026-10-19"]
    assert all(w.monday.weekday() == 0 for w in weeks)
    # Midnight in Berlin: 22:00 UTC the evening before in summer, 23:00 after.
    assert weeks[0].start == datetime(2026, 10, 4, 22, tzinfo=UTC)
    assert weeks[1].end == weeks[2].start == datetime(2026, 10, 18, 22, tzinfo=UTC)
    assert weeks[2].end == datetime(2026, 10, 25, 23, tzinfo=UTC)
    assert weeks[2].end - weeks[2].start == timedelta(days=7, hours=1)  # the longer week
    # The week now running is not among them: it has not ended.
    assert monday_of(now, "Europe/Berlin") == weeks[-1].end


def test_moments_fall_in_their_week_and_nowhere_else() -> None:
    weeks = complete_weeks(datetime(2026, 11, 18, tzinfo=UTC), 2)
    first, second = weeks
    moments = [
        first.start,
        second.start - timedelta(microseconds=1),
        second.start,
        second.end,  # the current week: not counted
        first.start - timedelta(seconds=1),  # before the weeks shown
    ]
    assert per_week(moments, weeks) == [2, 1]

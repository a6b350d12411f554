"""Calendar weeks, Monday to Sunday in the workspace's time zone, as the digest counts them.

A rolling seven days ending now moves with every page load and never lines up with the
digest people read on Monday; a calendar week is the same week wherever it is shown.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Week:
    """[start, end): Monday 00:00 to the next Monday 00:00 local time, both held in UTC."""

    start: datetime
    end: datetime
    monday: date  # in the workspace's time zone

    @property
    def label(self) -> str:
        """The ISO date of its Monday: the one date format the dashboard uses."""
        return self.monday.isoformat()


def monday_of(moment: datetime, timezone: str = "UTC") -> datetime:
    """The Monday 00:00 (in `timezone`) that starts the week holding `moment`, in UTC."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone).date()
    monday = local - timedelta(days=local.weekday())
    return datetime.combine(monday, time(), tzinfo=zone).astimezone(UTC)


def complete_weeks(now: datetime, count: int, timezone: str = "UTC") -> list[Week]:
    """The last `count` weeks that have ended by `now`, oldest first."""
    zone = ZoneInfo(timezone)
    end = monday_of(now, timezone).astimezone(zone)
    weeks = []
    for back in range(count, 0, -1):
        # Whole local days, so a week across a DST change is still Monday to Monday.
        start = datetime.combine((end - timedelta(days=7 * back)).date(), time(), tzinfo=zone)
        stop = datetime.combine((end - timedelta(days=7 * (back - 1))).date(), time(), tzinfo=zone)
        weeks.append(Week(start.astimezone(UTC), stop.astimezone(UTC), start.date()))
    return weeks

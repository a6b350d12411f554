"""Working-hours arithmetic: "4 working hours from now" in someone's time zone and week.

Escalation deadlines count only time inside a person's working hours (09-17 Monday to
Friday unless their personal settings say otherwise), in their own time zone, so a question asked on
Friday evening is not escalated over the weekend and an expert in Singapore is not rushed
while they sleep. Wall-clock arithmetic within a local day is right across DST changes,
which happen at night, outside working hours.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from bot.kit.i18n import current

_SEARCH_DAYS = 800  # with at least one working day a week, any realistic span ends sooner
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class WorkingTime:
    timezone: str = "UTC"
    start: time = time(9)
    end: time = time(17)
    days: tuple[int, ...] = (0, 1, 2, 3, 4)

    @property
    def hours_per_day(self) -> float:
        day = date.min
        return (datetime.combine(day, self.end) - datetime.combine(day, self.start)) / HOUR

    def describe(self) -> str:
        names = get_day_names("abbreviated", locale=current())
        days = ", ".join(names[d] for d in sorted(self.days))
        return f"{self.start:%H:%M}-{self.end:%H:%M} {days} ({self.timezone})"


def add_working_hours(start: datetime, hours: float, when: WorkingTime) -> datetime:
    """The moment `hours` of `when`'s working time have passed since `start` (UTC)."""
    zone = ZoneInfo(when.timezone)
    remaining = timedelta(hours=hours)
    cursor = start.astimezone(zone)
    day = cursor.date()
    for _ in range(_SEARCH_DAYS):
        opens = datetime.combine(day, when.start, tzinfo=zone)
        closes = datetime.combine(day, when.end, tzinfo=zone)
        begin = max(cursor, opens)
        if day.weekday() in when.days and begin < closes:
            if remaining <= closes - begin:
                return (begin + remaining).astimezone(UTC)
            remaining -= closes - begin
        day += timedelta(days=1)
        cursor = datetime.combine(day, time(), tzinfo=zone)
    raise ValueError("no working time in that calendar")

"""Trigger maths, delegated to APScheduler 3.x: cron, intervals and dates, DST-correct."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
INTERVAL_FIELDS = ("weeks", "days", "hours", "minutes", "seconds")
_KEYS = {
    "cron": {"type", "expression", *CRON_FIELDS},
    "interval": {"type", "start", *INTERVAL_FIELDS},
    "date": {"type", "at"},
}
_TICK = timedelta(microseconds=1)
_SECOND = timedelta(seconds=1)


def make_trigger(spec: dict[str, Any], timezone: str) -> BaseTrigger:
    """Build a trigger from a schedule's stored spec; raise ValueError for a bad spec."""
    zone = _zone(timezone)
    kind = spec.get("type")
    if kind not in _KEYS:
        raise ValueError(f"unknown trigger type {kind!r}")
    # A misspelt field ("hours" in a cron) would otherwise be dropped: a cron firing every second.
    unknown = spec.keys() - _KEYS[kind]
    if unknown:
        raise ValueError(f"unknown {kind} trigger fields: {sorted(unknown)}")
    if kind == "cron":
        if "expression" in spec:
            return CronTrigger.from_crontab(spec["expression"], timezone=zone)
        return CronTrigger(timezone=zone, **{k: spec[k] for k in CRON_FIELDS if k in spec})
    if kind == "interval":
        return _interval(spec, zone)
    if "at" not in spec:
        raise ValueError("a date trigger needs 'at'")
    return DateTrigger(run_date=spec["at"], timezone=zone)


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as unknown:
        raise ValueError(f"unknown time zone {timezone!r}") from unknown


def interval_length(spec: dict[str, Any]) -> timedelta:
    try:
        return timedelta(**{k: spec[k] for k in INTERVAL_FIELDS if k in spec})
    except TypeError as wrong:  # e.g. {"hours": "two"} from hand-written JSON
        raise ValueError(f"bad interval: {wrong}") from wrong


def _interval(spec: dict[str, Any], zone: ZoneInfo) -> IntervalTrigger:
    if interval_length(spec) <= timedelta(0):
        raise ValueError("an interval trigger needs a positive length")
    # Without a start APScheduler counts from the real clock each time the trigger is built,
    # so a schedule rebuilt at its fire time would be pushed back forever.
    if not spec.get("start"):
        raise ValueError("an interval trigger needs 'start' (add_schedule sets it)")
    return IntervalTrigger(
        timezone=zone,
        start_date=spec["start"],
        **{k: spec[k] for k in INTERVAL_FIELDS if k in spec},
    )


def anchored(spec: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The spec with an interval's missing start set: the first run one interval after now."""
    if spec.get("type") != "interval" or spec.get("start"):
        return spec
    return {**spec, "start": (now + interval_length(spec)).isoformat()}


def first_fire(trigger: BaseTrigger, start: datetime) -> datetime | None:
    """The first fire time at or after `start`."""
    fire: datetime | None = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < start:
        fire = next_fire(trigger, fire)
    return fire


def next_fire(trigger: BaseTrigger, previous: datetime) -> datetime | None:
    """The first fire time strictly after `previous`."""
    if not isinstance(trigger, CronTrigger):
        fire: datetime | None = trigger.get_next_fire_time(previous, previous + _TICK)
        return fire
    # Cron times are whole seconds. Searching from the next whole second in UTC keeps the
    # `fold` that APScheduler 3.x drops when it rounds up a local time inside the hour a DST
    # fall-back repeats: it then returned `previous` itself, and catch_up looped forever.
    fire = _cron_after(trigger, previous)
    if fire is not None and _repeated_wall_time(trigger, previous, fire):
        # The second pass of a repeated hour: a time with a fixed hour runs once that day.
        fire = _cron_after(trigger, fire)
    return fire


def _cron_after(trigger: CronTrigger, previous: datetime) -> datetime | None:
    fire: datetime | None = trigger.get_next_fire_time(None, previous.astimezone(UTC) + _SECOND)
    return fire


def _repeated_wall_time(trigger: CronTrigger, previous: datetime, fire: datetime) -> bool:
    hour = trigger.fields[CronTrigger.FIELD_NAMES.index("hour")]
    zone = trigger.timezone

    def wall(moment: datetime) -> datetime:
        return moment.astimezone(zone).replace(tzinfo=None)

    return str(hour) != "*" and wall(fire) == wall(previous)


def catch_up(
    trigger: BaseTrigger, scheduled: datetime, now: datetime, grace: timedelta
) -> tuple[datetime | None, datetime | None]:
    """(the one period to run now, the next fire time after now).

    Missed periods are coalesced: only the latest one that is still within the grace window
    runs; older ones are skipped, so a long outage never unleashes a backlog.
    """
    latest = None
    fire = first_fire(trigger, max(scheduled, now - grace))
    while fire is not None and fire <= now:
        latest = fire
        fire = next_fire(trigger, fire)
    return latest, fire

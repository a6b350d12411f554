"""Trigger maths, delegated to APScheduler 3.x: cron, intervals and dates, DST-correct."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
INTERVAL_FIELDS = ("weeks", "days", "hours", "minutes", "seconds")
_TICK = timedelta(microseconds=1)


def make_trigger(spec: dict[str, Any], timezone: str) -> BaseTrigger:
    """Build a trigger from a schedule's stored spec; raise ValueError for a bad spec."""
    zone = ZoneInfo(timezone)
    kind = spec.get("type")
    if kind == "cron":
        if "expression" in spec:
            return CronTrigger.from_crontab(spec["expression"], timezone=zone)
        return CronTrigger(timezone=zone, **{k: spec[k] for k in CRON_FIELDS if k in spec})
    if kind == "interval":
        return IntervalTrigger(
            timezone=zone,
            start_date=spec.get("start"),
            **{k: spec[k] for k in INTERVAL_FIELDS if k in spec},
        )
    if kind == "date":
        return DateTrigger(run_date=spec["at"], timezone=zone)
    raise ValueError(f"unknown trigger type {kind!r}")


def first_fire(trigger: BaseTrigger, start: datetime) -> datetime | None:
    """The first fire time at or after `start`."""
    fire: datetime | None = trigger.get_next_fire_time(None, start)
    while fire is not None and fire < start:
        fire = next_fire(trigger, fire)
    return fire


def next_fire(trigger: BaseTrigger, previous: datetime) -> datetime | None:
    """The first fire time strictly after `previous`."""
    fire: datetime | None = trigger.get_next_fire_time(previous, previous + _TICK)
    return fire


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

"""Personal settings: when and whether the bot may nudge a person, and how they read dates.

They live as JSON in Person.preferences; this model is their only reader and writer, so every
feature and the core agree on one meaning. The time zone is Person.timezone (the platform's
until the person picks another). Nothing here restricts anyone who has set nothing: a feature
with its own default hours (pulse) applies them itself.
"""

import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.kit.core_catalog import _
from bot.models import Person

log = logging.getLogger(__name__)

DateStyle = Literal["en-GB", "en-US", "ISO"]
DATE_STYLES: dict[str, str] = {
    "en-GB": "%d/%m/%Y",
    "en-US": "%m/%d/%Y",
    "ISO": "%Y-%m-%d",
}
WEEKDAYS = (0, 1, 2, 3, 4)
# Enough steps to leave any combination of pause, days off and quiet hours behind.
_STEPS = 40
# Calendars repeat every week: a moment that suits everyone, if there is one, is this close.
_HORIZON_DAYS = 8


class HourRange(BaseModel):
    """From `start` to `end`, local time; `end` before `start` runs past midnight."""

    model_config = ConfigDict(frozen=True)

    start: time
    end: time

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if self.start == self.end:
            raise ValueError(_("a range needs different start and end times"))
        return self

    @property
    def wraps(self) -> bool:
        return self.end < self.start

    def contains(self, moment: time) -> bool:
        if self.wraps:
            return moment >= self.start or moment < self.end
        return self.start <= moment < self.end

    def describe(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


class PersonalSettings(BaseModel):
    """What a person chose. `muted` names the features whose nudges they do not want."""

    model_config = ConfigDict(extra="ignore")

    working_hours: HourRange | None = None
    work_days: tuple[int, ...] = WEEKDAYS
    quiet_hours: HourRange | None = None
    date_style: DateStyle = "en-GB"
    muted: list[str] = Field(default_factory=list)
    paused_until: date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.working_hours is not None and self.working_hours.wraps:
            raise ValueError(_("working hours must start before they end"))
        if self.working_hours is not None and not self.work_days:
            raise ValueError(_("working hours need at least one working day"))
        if any(day not in range(7) for day in self.work_days):
            raise ValueError(_("working days are 0 (Monday) to 6 (Sunday)"))
        return self

    def receives(self, feature: str) -> bool:
        return feature not in self.muted

    def format_date(self, day: date) -> str:
        return day.strftime(DATE_STYLES[self.date_style])

    def not_before(self, moment: datetime, timezone: str) -> datetime:
        """The first instant at or after `moment` at which a scheduled message may arrive:
        after a pause, on a working day within working hours, outside quiet hours, all in
        the person's own time zone."""
        zone = ZoneInfo(timezone)
        local = moment.astimezone(zone)
        if self.paused_until is not None and local.date() < self.paused_until:
            local = datetime.combine(self.paused_until, time(), tzinfo=zone)
        for _step in range(_STEPS):
            later = self._next_step(local, zone)
            if later is None:
                return local.astimezone(UTC)
            local = later
        log.warning("no allowed moment found for %s; sending at %s", timezone, local)
        return local.astimezone(UTC)

    def start(self, timezone: str) -> datetime | None:
        """When their pause ends (midnight of its last day, their time), if they paused."""
        if self.paused_until is None:
            return None
        return datetime.combine(self.paused_until, time(), tzinfo=ZoneInfo(timezone))

    def allows(self, moment: datetime, timezone: str) -> bool:
        """Whether a held message may arrive at `moment`: not paused, on a working day within
        working hours, outside quiet hours."""
        zone = ZoneInfo(timezone)
        local = moment.astimezone(zone)
        paused = self.paused_until is not None and local.date() < self.paused_until
        return not paused and self._next_step(local, zone) is None

    def quiet_at(self, moment: datetime, timezone: str) -> bool:
        local = moment.astimezone(ZoneInfo(timezone)).time()
        return self.quiet_hours is not None and self.quiet_hours.contains(local)

    def changes(self, day: date, timezone: str) -> list[datetime]:
        """The moments of `day` (their time) at which whether they may be reached can change."""
        times = [time()]
        for hours in (self.working_hours, self.quiet_hours):
            if hours is not None:
                times += [hours.start, hours.end]
        zone = ZoneInfo(timezone)
        return [datetime.combine(day, at, tzinfo=zone) for at in times]

    def _next_step(self, local: datetime, zone: ZoneInfo) -> datetime | None:
        """A later local moment if `local` is not allowed, None if it is."""
        day, clock = local.date(), local.timetz().replace(tzinfo=None)
        hours = self.working_hours
        if hours is not None:
            if day.weekday() not in self.work_days or clock >= hours.end:
                return datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
            if clock < hours.start:
                return datetime.combine(day, hours.start, tzinfo=zone)
        quiet = self.quiet_hours
        if quiet is not None and quiet.contains(clock):
            ends_on = day + timedelta(days=1) if quiet.wraps and clock >= quiet.start else day
            return datetime.combine(ends_on, quiet.end, tzinfo=zone)
        return None


Calendar = tuple[PersonalSettings, str]
# Someone who chose no hours at all is still not introduced to anyone in their night.
NIGHT = HourRange(start=time(21), end=time(8))


def meeting_calendar(person: Person) -> Calendar:
    """When a message that brings `person` together with others may reach them: their own
    settings, with the night as quiet hours if they chose neither working nor quiet hours."""
    chosen = personal_settings(person)
    if chosen.working_hours is None and chosen.quiet_hours is None:
        chosen = chosen.model_copy(update={"quiet_hours": NIGHT})
    return chosen, person.timezone


def shared_moment(people: Sequence[Calendar], moment: datetime) -> datetime:
    """The first instant at or after `moment` that suits all of `people` (settings and time
    zone each), once every pause has ended. If no such instant comes within a week, the
    earliest one outside the quiet hours of as many of them as possible, and within the
    working hours of as many as possible after that."""
    pauses = [when for chosen, zone in people if (when := chosen.start(zone)) is not None]
    start = max([moment.astimezone(UTC), *pauses]).astimezone(UTC)
    end = start + timedelta(days=_HORIZON_DAYS)
    candidates = {start}
    for chosen, zone in people:
        first = start.astimezone(ZoneInfo(zone)).date()
        for offset in range(_HORIZON_DAYS + 1):
            day = first + timedelta(days=offset)
            candidates |= {c for c in chosen.changes(day, zone) if start < c < end}
    best, best_score = start, (-1, -1)
    for candidate in sorted(candidates):
        awake = sum(not chosen.quiet_at(candidate, zone) for chosen, zone in people)
        suited = sum(chosen.allows(candidate, zone) for chosen, zone in people)
        if suited == len(people):
            return candidate.astimezone(UTC)
        if (awake, suited) > best_score:
            best, best_score = candidate, (awake, suited)
    log.info("no moment suits all of %d people; sending at %s", len(people), best)
    return best.astimezone(UTC)


def personal_settings(person: Person) -> PersonalSettings:
    """The person's settings; stored values that no longer validate count as unset."""
    try:
        return PersonalSettings.model_validate(person.preferences or {})
    except ValidationError:
        log.warning("person %s has unreadable personal settings; using defaults", person.id)
        return PersonalSettings()


def save_personal_settings(person: Person, chosen: PersonalSettings) -> None:
    """Store the settings, keeping any other keys features may keep in preferences."""
    stored: dict[str, Any] = dict(person.preferences or {})
    stored.update(chosen.model_dump(mode="json"))
    person.preferences = stored


def set_working_hours(
    person: Person, start: time, end: time, days: tuple[int, ...] | None = None
) -> None:
    """Their working hours (and days, when given), as `/expert hours` and `/pulse hours` set
    them: the same hours every feature reads."""
    chosen: dict[str, Any] = personal_settings(person).model_dump()
    chosen["working_hours"] = {"start": start, "end": end}
    if days is not None:
        chosen["work_days"] = days
    save_personal_settings(person, PersonalSettings.model_validate(chosen))

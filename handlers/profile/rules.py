"""Reading the settings form: every field checked, every problem named next to its field.

Nudges are named after the features that send them; the key is the prefix of the feature's
scheduled work kinds (`mentor.sweep` nudges as `mentor`), which is how the core recognises
them (bot.contract.context).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import get_args
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from bot.contract.errors import FormInvalid
from bot.kit.hours_text import just_hours, working_hours
from bot.kit.people import valid_timezone
from bot.kit.preferences import (
    DATE_STYLES,
    WEEKDAYS,
    DateStyle,
    HourRange,
    PersonalSettings,
    personal_settings,
    save_personal_settings,
)
from bot.models import Person
from handlers.profile.i18n import _

# What people call each feature's nudges, and the key the core knows them by.
NUDGES: dict[str, str] = {
    "kudos": "kudos",
    "pulse": "pulse",
    "ideas": "ideas",
    "qa": "qa",
    "mentoring": "mentor",
    "coffee": "coffee",
    "digest": "digest",
}
_ALIASES = {"q&a": "qa", "mentor": "mentoring", "idea": "ideas", "surveys": "pulse"}
LONGEST_PAUSE = timedelta(days=366)


@dataclass(frozen=True)
class Chosen:
    timezone: str
    settings: PersonalSettings


def read_form(values: dict[str, str], person: Person, today: date) -> Chosen:
    """The form's values as settings; FormInvalid naming every field that is wrong."""
    errors: dict[str, str] = {}
    current = personal_settings(person)
    timezone, style = _zone_and_style(values.get("timezone", ""), person, current, errors)
    hours, days = _working(values.get("hours", ""), errors)
    quiet = _quiet(values.get("quiet", ""), errors)
    muted = _muted(values.get("nudges", ""), errors)
    paused = _pause(values.get("pause", ""), style, today, errors)
    if hours is not None and quiet is not None and _covers(quiet, hours):
        errors["quiet"] = _(
            "These quiet hours cover all your working hours: nothing could reach you."
        )
    if errors:
        raise FormInvalid(errors)
    try:
        chosen = PersonalSettings(
            working_hours=hours,
            work_days=days,
            quiet_hours=quiet,
            date_style=style,
            muted=muted,
            paused_until=paused,
        )
    except ValidationError as wrong:
        raise FormInvalid({"hours": _first_message(wrong)}) from wrong
    return Chosen(timezone, chosen)


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def apply(person: Person, chosen: Chosen) -> None:
    person.timezone = chosen.timezone
    save_personal_settings(person, chosen.settings)


def _zone_and_style(
    text: str, person: Person, current: PersonalSettings, errors: dict[str, str]
) -> tuple[str, DateStyle]:
    """`Asia/Tokyo en-US`: a time zone, then optionally a date format."""
    words = text.replace(",", " ").split()
    zone = words[0] if words else person.timezone
    style: DateStyle = current.date_style
    if valid_timezone(zone, "") == "":
        errors["timezone"] = _(
            "I don't know the time zone '{zone}'. Use a name like Europe/London or Asia/Tokyo."
        ).format(zone=zone)
    if len(words) > 1:
        wanted = {s.lower(): s for s in get_args(DateStyle)}.get(words[1].lower())
        if wanted is None or len(words) > 2:
            errors["timezone"] = _("After the time zone, a date format: {formats}").format(
                formats=", ".join(DATE_STYLES)
            )
        else:
            style = wanted
    return zone, style


def _working(text: str, errors: dict[str, str]) -> tuple[HourRange | None, tuple[int, ...]]:
    if not text.strip():
        return None, WEEKDAYS
    try:
        start, end, days = working_hours(text)
    except ValueError as wrong:
        errors["hours"] = str(wrong)
        return None, WEEKDAYS
    return HourRange(start=start, end=end), days


def _quiet(text: str, errors: dict[str, str]) -> HourRange | None:
    if not text.strip():
        return None
    try:
        start, end = just_hours(text)
        return HourRange(start=start, end=end)
    except (ValueError, ValidationError) as wrong:
        detail = _first_message(wrong) if isinstance(wrong, ValidationError) else str(wrong)
        errors["quiet"] = _("{problem}. Quiet hours look like 22:00-07:00.").format(problem=detail)
        return None


def _muted(text: str, errors: dict[str, str]) -> list[str]:
    """The features not named in `text` (the nudges to receive): `all` (or empty), `none`
    or a list."""
    words = {w.lower() for w in re.split(r"[,\s]+", text) if w}
    if not words or "all" in words:
        return []
    if words == {"none"}:
        return sorted(NUDGES.values())
    named = {_ALIASES.get(w, w) for w in words}
    unknown = sorted(named - NUDGES.keys())
    if unknown:
        # Translators: the nudges' names, "all" and "none" are typed as they are.
        errors["nudges"] = _(
            "I don't know {unknown}. Name any of: {nudges} (or all, none)."
        ).format(unknown=", ".join(unknown), nudges=", ".join(NUDGES))
        return []
    return sorted(key for name, key in NUDGES.items() if name not in named)


def _pause(text: str, style: DateStyle, today: date, errors: dict[str, str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    for shape in ("%Y-%m-%d", DATE_STYLES[style]):
        try:
            until = datetime.strptime(text, shape).date()
            break
        except ValueError:
            continue
    else:
        example = (today + timedelta(days=14)).strftime(DATE_STYLES[style])
        errors["pause"] = _(
            "'{text}' is not a date. Write it like {example}, or leave it empty."
        ).format(text=text, example=example)
        return None
    if until <= today:
        errors["pause"] = _("That date has already come: pick a later one, or leave it empty.")
    elif until - today > LONGEST_PAUSE:
        errors["pause"] = _("A pause can last up to a year.")
    return until


def _covers(quiet: HourRange, hours: HourRange) -> bool:
    """True if every minute of the working day falls in quiet hours."""
    moment = datetime.combine(date.min, hours.start)
    closes = datetime.combine(date.min, hours.end)
    while moment < closes:
        if not quiet.contains(moment.time()):
            return False
        moment += timedelta(minutes=1)
    return True


def _first_message(wrong: ValidationError) -> str:
    return str(wrong.errors()[0]["msg"]).removeprefix("Value error, ")  # not translated: pydantic's

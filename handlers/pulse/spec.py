"""A survey as data: the pydantic models both the `/pulse new` form and YAML files produce.

Chat forms give one line per field, YAML gives structure; both end up as a SurveySpec, and
every check (kinds, lengths, audience, schedule, time zone) happens here, once.
"""

import re
from datetime import datetime, time
from typing import Any, Literal
from zoneinfo import available_timezones

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.kit.channels import channel_in
from bot.kit.i18n import format_list
from bot.kit.safety import neutralise
from bot.kit.words import weighed_length
from bot.time.triggers import make_trigger
from handlers.pulse.i18n import _

Kind = Literal["scale", "enps", "choice", "text"]
KINDS: dict[str, Kind] = {
    "scale": "scale",
    "enps": "enps",
    "nps": "enps",
    "choice": "choice",
    "text": "text",
    "comment": "text",
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ORDINALS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "last": "last"}
_ZONES = available_timezones()
# "once" without a date: the run opens when the survey is created (authoring fills the time).
ONCE_NOW: dict[str, Any] = {"type": "date", "at": "now"}


SHORTEST = 3


def long_enough(text: str) -> str:
    """Titles and prompts need a few letters; two Chinese or Japanese characters are a word."""
    if weighed_length(text) < SHORTEST:
        raise ValueError(
            _(
                "String should have at least {count} characters (2 in Chinese, Japanese or Korean)"
            ).format(count=SHORTEST)
        )
    return text


class QuestionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not ignored

    kind: Kind
    prompt: str = Field(max_length=300)
    options: list[str] = Field(default_factory=list, max_length=10)

    @field_validator("prompt")
    @classmethod
    def _clean_prompt(cls, prompt: str) -> str:
        return long_enough(neutralise(prompt.strip()))

    @field_validator("options")
    @classmethod
    def _clean_options(cls, options: list[str]) -> list[str]:
        cleaned = [neutralise(o.strip())[:75] for o in options if o.strip()]
        if len(set(cleaned)) != len(cleaned):
            raise ValueError(_("options must differ from each other"))
        return cleaned

    @model_validator(mode="after")
    def _options_fit_kind(self) -> "QuestionSpec":
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError(_("a choice question needs at least two options"))
        if self.kind != "choice" and self.options:
            raise ValueError(_("a {kind} question takes no options").format(kind=self.kind))
        return self


class AudienceSpec(BaseModel):
    """everyone; a channel's members; or people in some departments.

    Written as text in both the form and YAML: `everyone`, `#general`,
    `departments: Engineering, Sales`.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["everyone", "channel", "departments"]
    channel: str = ""
    departments: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return parse_audience(value) if isinstance(value, str) else value

    def describe(self) -> str:
        if self.kind == "channel":
            return _("members of #{channel}").format(channel=self.channel)
        if self.kind == "departments":
            return _("departments {names}").format(names=format_list(self.departments))
        return _("everyone")


class ScheduleSpec(BaseModel):
    """When runs open, as text: see `parse_schedule` for the phrases.

    `trigger` is the scheduler's trigger spec; `every_weeks` > 1 means a weekly trigger whose
    runs only count every that many weeks (an interval trigger would drift by an hour at each
    DST change).
    """

    model_config = ConfigDict(extra="forbid")

    text: str
    trigger: dict[str, Any]
    every_weeks: int = 1

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return parse_schedule(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _trigger_works(self) -> "ScheduleSpec":
        if self.trigger != ONCE_NOW:
            make_trigger(self.trigger, "UTC")  # a bad cron expression fails here, not later
        return self


class SurveySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not ignored

    title: str = Field(max_length=200)
    questions: list[QuestionSpec] = Field(min_length=1, max_length=10)
    audience: AudienceSpec
    schedule: ScheduleSpec
    timezone: str = "UTC"
    anonymous: bool = True
    # Anonymous surveys only. targeted: reminders go to those who have not answered, so the
    # bot keeps who answered (not what) until the close. strict: it keeps no such record, and
    # reminders go to everyone. The invitation says which applies.
    reminders: Literal["targeted", "strict"] = "targeted"
    close_after_days: int = Field(default=5, ge=1, le=60)
    reminder_days: list[int] = Field(default_factory=lambda: [2, 4], max_length=5)

    @property
    def strict(self) -> bool:
        """No record of who answered: anonymous and strict (`anonymous` mirrors the survey's)."""
        return self.anonymous and self.reminders == "strict"

    @field_validator("title")
    @classmethod
    def _clean_title(cls, title: str) -> str:
        return long_enough(neutralise(title.strip()))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        if zone not in _ZONES:
            raise ValueError(
                _("unknown time zone {zone}; use a name like Europe/London").format(zone=repr(zone))
            )
        return zone

    @field_validator("reminder_days")
    @classmethod
    def _reminders_before_close(cls, days: list[int], info: ValidationInfo) -> list[int]:
        close = info.data.get("close_after_days")
        late = [d for d in days if close is None or not 0 < d < close]
        if late:
            raise ValueError(
                _(
                    "reminder days {days} must fall between 1 and the day before closing "
                    "(close after {close} days)"
                ).format(days=late, close=close)
            )
        return sorted(set(days))


def parse_questions(text: str) -> list[dict[str, Any]]:
    """`kind: prompt` per line (or separated by `;`); a choice lists options after `|`.

    e.g. `scale: How was your week?` or `choice: What helps most? | Focus time | Fewer meetings`.
    """
    questions = []
    for number, line in enumerate(re.split(r"[\n;]", text), start=1):
        if not line.strip():
            continue
        prefix, sep, rest = line.partition(":")
        kind = KINDS.get(prefix.strip().lower())
        if not sep or kind is None:
            raise ValueError(
                _(
                    "question {number} needs a kind first: scale, enps, choice or text, "
                    "like `scale: How was your week?`"
                ).format(number=number)
            )
        prompt, *options = rest.split("|")
        questions.append({"kind": kind, "prompt": prompt.strip(), "options": options})
    return questions


def parse_audience(text: str) -> dict[str, Any]:
    cleaned = text.strip()
    lowered = cleaned.lower()
    if lowered in ("everyone", "all", ""):
        return {"kind": "everyone"}
    if cleaned.startswith(("#", "＃", "<#")):
        channel = channel_in(cleaned)
        if channel is None:
            raise ValueError(_("{text} is not a channel name").format(text=repr(cleaned)))
        return {"kind": "channel", "channel": channel}
    for prefix in ("departments:", "department:", "dept:"):
        if lowered.startswith(prefix):
            names = [d.strip() for d in cleaned[len(prefix) :].split(",") if d.strip()]
            if names:
                return {"kind": "departments", "departments": names}
    raise ValueError(_("audience is `everyone`, a channel like `#general`, or `departments: A, B`"))


_AT = r"(?:\s+at\s+(?P<hh>\d{1,2}):(?P<mm>\d{2}))?"
_ON_DAY = r"(?:\s+on\s+(?P<dow>[a-z]{3})[a-z]*)?"
_SCHEDULES = {
    "once": re.compile(r"once(?:\s+on\s+(?P<date>\d{4}-\d{2}-\d{2}))?" + _AT + "$"),
    "weekly": re.compile(r"weekly" + _ON_DAY + _AT + "$"),
    "every": re.compile(r"every\s+(?P<n>\d+)\s+weeks?" + _ON_DAY + _AT + "$"),
    "nth": re.compile(
        r"monthly\s+on\s+the\s+(?P<nth>first|second|third|fourth|last)\s+(?P<dow>[a-z]{3})[a-z]*"
        + _AT
        + "$"
    ),
    "monthly": re.compile(r"monthly(?:\s+on\s+day\s+(?P<day>\d{1,2}))?" + _AT + "$"),
    "cron": re.compile(r"cron\s+(?P<expr>\S+\s+\S+\s+\S+\s+\S+\s+\S+)$"),
}
# What may be typed, as typed: the schedule's words are the same in every language.
SCHEDULE_PHRASES = (
    "once",
    "once on 2027-03-01 at 10:00",  # not translated: typed as is
    "weekly on mon at 10:00",  # not translated: typed as is
    "every 2 weeks on mon at 10:00",  # not translated: typed as is
    "monthly on day 1 at 10:00",  # not translated: typed as is
    "monthly on the first mon at 10:00",  # not translated: typed as is
    "cron 0 10 * * mon",
)


def schedule_help() -> str:
    phrases = format_list([f"`{phrase}`" for phrase in SCHEDULE_PHRASES], style="or")
    return _("schedule is one of: {phrases}").format(phrases=phrases)


def parse_schedule(text: str) -> dict[str, Any]:
    phrase = " ".join(text.lower().split())
    for name, pattern in _SCHEDULES.items():
        match = pattern.match(phrase)
        if match:
            return {"text": phrase, **_trigger(name, match.groupdict())}
    raise ValueError(schedule_help())


def _trigger(name: str, parts: dict[str, str | None]) -> dict[str, Any]:
    if name == "cron":
        return {"trigger": {"type": "cron", "expression": parts["expr"]}}
    at = _time(parts.get("hh"), parts.get("mm"))
    clock = {"hour": at.hour, "minute": at.minute}
    dow = parts.get("dow") or "mon"
    if dow not in DAYS:
        raise ValueError(
            _("{day} is not a day: use mon, tue, wed, thu, fri, sat or sun").format(day=repr(dow))
        )
    if name == "once":
        # Without a date: right away. The date is local to the survey's time zone.
        if not parts.get("date"):
            return {"trigger": ONCE_NOW}
        on = datetime.strptime(str(parts["date"]), "%Y-%m-%d").date()
        return {"trigger": {"type": "date", "at": datetime.combine(on, at).isoformat()}}
    if name in ("weekly", "every"):
        weeks = int(parts.get("n") or 1)
        if not 1 <= weeks <= 12:
            raise ValueError(_("every N weeks takes N from 1 to 12"))
        return {"trigger": {"type": "cron", "day_of_week": dow, **clock}, "every_weeks": weeks}
    if name == "nth":
        nth = f"{ORDINALS[str(parts['nth'])]} {dow}"
        return {"trigger": {"type": "cron", "day": nth, **clock}}
    day_of_month = int(parts.get("day") or 1)
    if not 1 <= day_of_month <= 28:
        raise ValueError(_("a monthly day is 1 to 28, so that every month has it"))
    return {"trigger": {"type": "cron", "day": day_of_month, **clock}}


def _time(hh: str | None, mm: str | None) -> time:
    if hh is None or mm is None:
        return time(10, 0)
    try:
        return time(int(hh), int(mm))
    except ValueError as bad:
        raise ValueError(_("{time} is not a time of day").format(time=f"{hh}:{mm}")) from bad

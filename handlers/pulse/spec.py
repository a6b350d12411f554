"""A survey as data: the pydantic models both the `/pulse new` form and YAML files produce.

Chat forms give one line per field, YAML gives structure; both end up as a SurveySpec, and
every check (kinds, lengths, audience, schedule, time zone) happens here, once.

A survey is written in its own language (`language`) and may carry its title, prompts and
options in more (`titles`, each question's `translations`); each person reads the texts of
their language, or the survey's own where none were written (`read_in`). Answers are kept by
question number and a choice by its option in the survey's own language, so the answers of
every language count together.
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
from bot.kit.i18n import SHIPPED, format_list, language_name, shipped
from bot.kit.safety import neutralise
from bot.kit.words import weighed_length
from bot.time.triggers import make_trigger
from handlers.pulse.i18n import _, ngettext

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


def _clean_options(options: list[str]) -> list[str]:
    cleaned = [neutralise(o.strip())[:75] for o in options if o.strip()]
    if len(set(cleaned)) != len(cleaned):
        raise ValueError(_("options must differ from each other"))
    return cleaned


def known_language(tag: str) -> str:
    """A language Rapport speaks (`FR`, `fr-CA` -> `fr`); ValueError naming them otherwise:
    texts in another language would reach nobody, since everyone reads a shipped one."""
    language = shipped(tag)
    if language is None:
        spoken = format_list(f"{code} ({language_name(code)})" for code in SHIPPED)
        raise ValueError(
            _("{tag} is not a language I speak; I speak {languages}").format(
                tag=repr(tag), languages=spoken
            )
        )
    return language


def _known_languages(texts: dict[str, Any]) -> dict[str, Any]:
    return {known_language(tag): text for tag, text in texts.items()}


class QuestionText(BaseModel):
    """What a reader sees of a question in one language: its prompt, and a choice's options
    in their order. The question and each of its translations check them alike."""

    model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not ignored

    prompt: str = Field(max_length=300)
    options: list[str] = Field(default_factory=list, max_length=10)

    @field_validator("prompt")
    @classmethod
    def _clean_prompt(cls, prompt: str) -> str:
        return long_enough(neutralise(prompt.strip()))

    @field_validator("options")
    @classmethod
    def _clean_options(cls, options: list[str]) -> list[str]:
        return _clean_options(options)


class Translation(QuestionText):
    """A question in one more language: its prompt, and a choice's options in their order."""


class QuestionSpec(QuestionText):
    kind: Kind
    translations: dict[str, Translation] = Field(default_factory=dict)

    @field_validator("translations", mode="before")
    @classmethod
    def _translated_into_known(cls, texts: Any) -> Any:
        return _known_languages(texts) if isinstance(texts, dict) else texts

    @model_validator(mode="after")
    def _options_fit_kind(self) -> "QuestionSpec":
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError(_("a choice question needs at least two options"))
        if self.kind != "choice" and self.options:
            raise ValueError(_("a {kind} question takes no options").format(kind=self.kind))
        for language, text in self.translations.items():
            if len(text.options) != len(self.options):
                given = len(text.options)
                wrong = ngettext(
                    "the {language} text has {count} option where the question has {total}: "
                    "give each option in the same order",
                    "the {language} text has {count} options where the question has {total}: "
                    "give each option in the same order",
                    given,
                )
                named = language_name(language)
                raise ValueError(wrong.format(language=named, count=given, total=len(self.options)))
        return self

    def read_in(self, language: str) -> "QuestionSpec":
        """The question as a reader of `language` sees it: its texts in that language where
        they were written, else in the survey's own."""
        text = self.translations.get(language)
        if text is None:
            return self
        return self.model_copy(update={"prompt": text.prompt, "options": text.options})


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
    # The language the title, prompts and options above are written in: what someone reads
    # when the survey has no texts in their language.
    language: str = "en"
    titles: dict[str, str] = Field(default_factory=dict)  # the title in more languages
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

    @field_validator("language")
    @classmethod
    def _spoken(cls, language: str) -> str:
        return known_language(language)

    @field_validator("titles", mode="before")
    @classmethod
    def _titled_in_known(cls, titles: Any) -> Any:
        return _known_languages(titles) if isinstance(titles, dict) else titles

    @field_validator("titles")
    @classmethod
    def _clean_titles(cls, titles: dict[str, str]) -> dict[str, str]:
        cleaned = {language: neutralise(title.strip()) for language, title in titles.items()}
        for title in cleaned.values():
            if len(title) > 200:
                raise ValueError(_("a title has at most 200 characters"))
            long_enough(title)
        return cleaned

    @model_validator(mode="after")
    def _others_besides_own(self) -> "SurveySpec":
        again = {*self.titles, *(lang for q in self.questions for lang in q.translations)}
        if self.language in again:
            raise ValueError(
                _(
                    "the survey is written in {language} already: its {language} texts are "
                    "its title, prompts and options"
                ).format(language=language_name(self.language))
            )
        return self

    @property
    def languages(self) -> list[str]:
        """The survey's own language, then every other language some text is written in."""
        more = {*self.titles, *(lang for q in self.questions for lang in q.translations)}
        return [self.language, *sorted(more - {self.language})]

    def read_in(self, language: str) -> "SurveySpec":
        """The survey as a reader of `language` sees it, text by text falling back to the
        survey's own language. Question numbers and option order stay as they are, so an
        answer means the same in every language."""
        if language == self.language:
            return self
        return self.model_copy(
            update={
                "title": self.titles.get(language, self.title),
                "questions": [q.read_in(language) for q in self.questions],
            }
        )

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


class TextsError(ValueError):
    """Texts per language that cannot be used; `where` is the path to them in the file."""

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.where = where


def written_per_language(data: dict[str, Any]) -> dict[str, Any]:
    """A survey whose title, prompts and options may each be a mapping of language to text
    (`title: {en: Weekly pulse, fr: Pouls de la semaine}`), as the spec's fields: the text in
    the survey's own language in place, the others in `titles` and `translations`."""
    try:
        own = known_language(str(data.get("language") or "en"))
    except ValueError as unknown:
        raise TextsError(("language",), str(unknown)) from unknown
    result = dict(data)
    title = data.get("title")
    if isinstance(title, dict):
        texts = _per_language(title, own, ("title",))
        result["title"] = texts.pop(own)
        result["titles"] = {**texts, **(data.get("titles") or {})}
    questions = data.get("questions")
    if isinstance(questions, list):
        result["questions"] = [
            _question_per_language(q, own, i) if isinstance(q, dict) else q
            for i, q in enumerate(questions)
        ]
    return result


def _question_per_language(question: dict[str, Any], own: str, index: int) -> dict[str, Any]:
    result = dict(question)
    more: dict[str, dict[str, Any]] = {}
    prompt = question.get("prompt")
    if isinstance(prompt, dict):
        texts = _per_language(prompt, own, ("questions", index, "prompt"))
        result["prompt"] = texts.pop(own)
        for language, text in texts.items():
            more.setdefault(language, {})["prompt"] = text
    options = question.get("options")
    if isinstance(options, list) and any(isinstance(o, dict) for o in options):
        plain = []
        for number, option in enumerate(options):
            where = ("questions", index, "options", number)
            texts = _per_language(option if isinstance(option, dict) else {own: option}, own, where)
            plain.append(texts.pop(own))
            for language, text in texts.items():
                more.setdefault(language, {}).setdefault("options", []).append(text)
        result["options"] = plain
    if more:
        result["translations"] = {**more, **(question.get("translations") or {})}
    return result


def _per_language(texts: dict[Any, Any], own: str, where: tuple[str | int, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag, text in texts.items():
        try:
            language = known_language(str(tag))
        except ValueError as unknown:
            raise TextsError(where, str(unknown)) from unknown
        if not isinstance(text, str):
            raise TextsError(
                where,
                _("the {language} text is not a piece of text").format(
                    language=language_name(language)
                ),
            )
        found[language] = text
    if own not in found:
        raise TextsError(
            where,
            _(
                "no text in the survey's language ({language}); add `{language}: ...` or set "
                "`language:`"
            ).format(language=own),
        )
    return found


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

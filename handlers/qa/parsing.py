"""Reading what people type to /ask, /answer and /expert. No store, no chat I/O."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.contract.errors import UserError
from bot.kit.hours_text import working_hours
from bot.kit.i18n import format_number
from bot.kit.tag_names import TagRule, fold
from bot.kit.tokenizing import text_language
from handlers.qa.i18n import _
from handlers.qa.similarity import tokens

MAX_QUESTION = 2000
MAX_ANSWER = 4000
# The first words of `/ask` that keep the asker's name from experts and channels, in every
# shipped language (English, French, German, Spanish, Japanese), whatever the asker's own.
ANONYMOUSLY = (
    "anon",
    "anonymous",
    "anonymously",
    "anonyme",
    "anonymement",
    "anonym",
    "anónimo",
    "anónima",
    "anónimamente",
    "anonimo",
    "anonima",
    "匿名",
    "匿名で",
)
# One of them before any space (the full-width one too) or a colon: "匿名　…", "anon: …".
_ANONYMOUS = re.compile(
    r"(?P<word>" + "|".join(map(re.escape, ANONYMOUSLY)) + r")(?:\s*[:：]|\s)\s*(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
# Topics in any script ("payroll", "c++", "育児休暇"); a #hashtag in a question starts with a
# letter, so "#12" stays a question number.
_TOPIC = TagRule(max_length=60, signs="+#-", digit_first=True)
_HASHTAG = TagRule(max_length=60, signs="+-_")
_REF = re.compile(r"#?(\d{1,9})")
_COMMAS = re.compile(r"[,、，]")


@dataclass(frozen=True)
class Ask:
    text: str
    anonymous: bool


def anonymous_prefix(text: str) -> tuple[bool, str]:
    """Whether `text` starts with a word for anonymously, and what follows it."""
    found = _ANONYMOUS.fullmatch(text.strip())
    return (True, found["rest"]) if found else (False, text)


def check_question(text: str) -> str:
    if not text:
        raise UserError(
            _(
                "What would you like to ask? Try `/ask how do I book parental leave?` "
                "(or `/ask anon …` to ask without your name)."
            )
        )
    if len(text) > MAX_QUESTION:
        raise UserError(
            _(
                "That question is {length} characters; please keep it to at most {longest} "
                "(experts answer short questions faster)."
            ).format(length=format_number(len(text)), longest=format_number(MAX_QUESTION))
        )
    return text


def check_answer(text: str) -> str:
    text = text.strip()
    if not text:
        raise UserError(_("The answer is empty: write it after the question number."))
    if len(text) > MAX_ANSWER:
        raise UserError(
            _("That answer is {length} characters; please keep it to at most {longest}.").format(
                length=format_number(len(text)), longest=format_number(MAX_ANSWER)
            )
        )
    return text


def normalise_topic(raw: str) -> str:
    topic = "-".join(fold(raw.strip()).lstrip("#").split())
    if not _TOPIC.is_name(topic):
        raise UserError(
            _(
                "{topic} is not a topic I can use: letters (in any script), digits and - "
                "please, up to 60 characters, like `payroll`, `parental-leave` or `育児休暇`."
            ).format(topic=repr(raw.strip()))
        )
    return topic


def parse_topics(text: str) -> list[str]:
    """Topics separated by commas (so "parental leave" is one), else by spaces. Chinese and
    Japanese commas ("、", "，") count as commas."""
    parts = _COMMAS.split(text) if _COMMAS.search(text) else text.split()
    return list(dict.fromkeys(normalise_topic(part) for part in parts if part.strip()))


def find_topics(text: str, known: set[str], language: str | None = None) -> list[str]:
    """The question's #hashtags, then every known topic all of whose terms it uses, the
    topics read in the question's language (`language`, the asker's, else guessed)."""
    found = _HASHTAG.hashtags(text)
    spoken = text_language(text, language)
    words = set(tokens(text, spoken))
    for topic in sorted(known):
        parts = tokens(topic.replace("-", " "), spoken)
        if parts and all(part in words for part in parts):
            found.append(topic)
    return list(dict.fromkeys(found))


def question_ref(text: str) -> int:
    match = _REF.fullmatch(text.strip())
    if not match:
        if not text.strip():
            raise UserError(_("Which question? Give its number, like `#12`."))
        raise UserError(
            _("{text} is not a question number, like `#12`.").format(text=repr(text.strip()))
        )
    return int(match[1])


def parse_answer(text: str) -> tuple[int, str]:
    ref, _space, answer = text.strip().partition(" ")
    if not ref:
        raise UserError(
            _("Usage: `/answer 12 your answer` (the question number, then the answer).")
        )
    return question_ref(ref), answer


def parse_until(text: str, timezone: str, now: datetime) -> datetime:
    """`2027-01-11` (or `until 2027-01-11`): back at the start of that day, local time."""
    words = text.strip().split()
    if words and words[0].lower() == "until":
        words = words[1:]
    try:
        back = date.fromisoformat(words[0]) if len(words) == 1 else None
    except ValueError:
        back = None
    if back is None:
        raise UserError(_("Say when you are back, like `/expert away until 2027-01-11`."))
    moment = datetime.combine(back, time(), tzinfo=ZoneInfo(timezone))
    if moment <= now:
        raise UserError(
            _("{date} has already begun: pick a later date.").format(date=back.isoformat())
        )
    return moment


def parse_hours(text: str) -> tuple[time, time, tuple[int, ...]]:
    """`08-16`, `8:30-16:30 mon-thu`, `10-18 mon,tue,thu`: working hours and days."""
    try:
        return working_hours(text)
    except ValueError as wrong:
        raise UserError(
            _("{problem}. Try `/expert hours 08-16` or `8-16 mon-thu`.").format(problem=wrong)
        ) from wrong

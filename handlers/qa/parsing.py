"""Reading what people type to /ask, /answer and /expert. No store, no chat I/O."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.contract.errors import UserError
from bot.kit.hours_text import working_hours
from bot.kit.tag_names import TagRule, fold
from bot.kit.tokenizing import text_language
from handlers.qa.similarity import tokens

MAX_QUESTION = 2000
MAX_ANSWER = 4000
# The first words of `/ask` that keep the asker's name from experts and channels.
ANONYMOUSLY = ("anon", "anonymous", "anonymously")
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


def check_question(text: str) -> str:
    if not text:
        raise UserError(
            "What would you like to ask? Try `/ask how do I book parental leave?` "
            "(or `/ask anon …` to ask without your name)."
        )
    if len(text) > MAX_QUESTION:
        raise UserError(
            f"That question is {len(text):,} characters; please keep it to at "
            f"most {MAX_QUESTION:,} (experts answer short questions faster)."
        )
    return text


def check_answer(text: str) -> str:
    text = text.strip()
    if not text:
        raise UserError("The answer is empty: write it after the question number.")
    if len(text) > MAX_ANSWER:
        raise UserError(
            f"That answer is {len(text):,} characters; please keep it to at most {MAX_ANSWER:,}."
        )
    return text


def normalise_topic(raw: str) -> str:
    topic = "-".join(fold(raw.strip()).lstrip("#").split())
    if not _TOPIC.is_name(topic):
        raise UserError(
            f"{raw.strip()!r} is not a topic I can use: letters (in any script), digits and - "
            "please, up to 60 characters, like `payroll`, `parental-leave` or `育児休暇`."
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
        raise UserError(f"{text.strip() or 'That'!r} is not a question number, like `#12`.")
    return int(match[1])


def parse_answer(text: str) -> tuple[int, str]:
    ref, _, answer = text.strip().partition(" ")
    if not ref:
        raise UserError("Usage: `/answer 12 your answer` (the question number, then the answer).")
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
        raise UserError("Say when you are back, like `/expert away until 2027-01-11`.")
    moment = datetime.combine(back, time(), tzinfo=ZoneInfo(timezone))
    if moment <= now:
        raise UserError(f"{back.isoformat()} has already begun: pick a later date.")
    return moment


def parse_hours(text: str) -> tuple[time, time, tuple[int, ...]]:
    """`08-16`, `8:30-16:30 mon-thu`, `10-18 mon,tue,thu`: working hours and days."""
    try:
        return working_hours(text)
    except ValueError as wrong:
        raise UserError(f"{wrong}. Try `/expert hours 08-16` or `8-16 mon-thu`.") from wrong

"""Reading what people type after `/idea`: submissions, idea and campaign numbers, stages."""

import re
import shlex
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.contract.errors import UserError
from handlers.ideas.i18n import _

# The first dash-like separator with spaces around it: "Title — details", "Title - details",
# "Title -- details". Spaces are required so that hyphenated words stay in the title.
_SEPARATOR = re.compile(r"\s+(?:—|–|--|-)\s+|^(?:—|–|--|-)\s+")
# Else the first colon: "Title: details" (Teams' command hint says so), the full-width one
# Chinese and Japanese write ("タイトル：詳細"), or one between two letters ("Title:details").
# A colon next to a digit or a slash stays in the title: times (17:00), ratios, links.
_COLON = re.compile(r"\s*(?:：|:(?=\s)|(?<=[^\W\d_]):(?=[^\W\d_]))\s*")
_IDEA_REF = re.compile(r"#?(\d{1,9})$")
_CAMPAIGN_REF = re.compile(r"[cC]?(\d{1,9})$")
_DEADLINE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?$")


@dataclass
class Submission:
    title: str
    details: str


@dataclass
class CampaignRequest:
    question: str
    closes_at: datetime


def parse_submission(text: str) -> Submission:
    separator = _SEPARATOR if _SEPARATOR.search(text.strip()) else _COLON
    title, *details = separator.split(text.strip(), maxsplit=1)
    return Submission(title=" ".join(title.split()), details="".join(details).strip())


def idea_ref(word: str) -> int:
    match = _IDEA_REF.match(word.strip())
    if not match:
        if not word.strip():
            raise UserError(_("Which idea? Write its number like `#12`."))
        raise UserError(
            _("{word} is not an idea number: write it like `#12`.").format(word=repr(word.strip()))
        )
    return int(match[1])


def campaign_ref(word: str) -> int:
    match = _CAMPAIGN_REF.match(word.strip())
    if not match:
        raise UserError(
            _("{word} is not a campaign number: write it like `c2`.").format(
                word=repr(word.strip())
            )
        )
    return int(match[1])


def parse_campaign(text: str, timezone: str, now: datetime) -> CampaignRequest:
    """`"Question?" 2027-02-01 [17:00]`: a date alone closes at the end of that day, local time."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = []
    usage = _('Write it like `/idea campaign open "How can we cut onboarding time?" 2027-02-01`.')
    deadline = _DEADLINE.match(" ".join(words[-2:])) or _DEADLINE.match(" ".join(words[-1:]))
    if len(words) < 2 or deadline is None:
        raise UserError(_("A campaign needs a question in quotes and a deadline.") + " " + usage)
    used = 2 if deadline[2] and len(words) >= 3 and words[-2] == deadline[1] else 1
    question = " ".join(" ".join(words[:-used]).split())
    if not question:
        raise UserError(_("What is the campaign's question?") + " " + usage)
    closes_at = _deadline(deadline[1], deadline[2], timezone)
    if closes_at <= now:
        raise UserError(_("That deadline has already passed: pick a date in the future."))
    return CampaignRequest(question, closes_at)


def _deadline(day: str, clock: str | None, timezone: str) -> datetime:
    zone = ZoneInfo(timezone)
    try:
        when = date.fromisoformat(day)
        if clock is None:
            return datetime.combine(when + timedelta(days=1), time(), tzinfo=zone)
        return datetime.combine(when, time.fromisoformat(clock.zfill(5)), tzinfo=zone)
    except ValueError as bad:
        typed = f"{day} {clock or ''}".strip()
        raise UserError(_("{date} is not a date I can read.").format(date=typed)) from bad

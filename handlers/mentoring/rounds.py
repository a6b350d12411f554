"""Matching rounds and what follows them: who may be paired, the round itself, the answers."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.language import person_language
from bot.models import Person, Schedule, Workspace
from bot.store.db_lock import lock_workspace, locked_by_id
from bot.time.scheduler import add_schedule
from bot.time.triggers import make_trigger
from bot.wiring.config import Settings
from handlers.mentoring.i18n import _
from handlers.mentoring.matching import Candidate, assign
from handlers.mentoring.profiles import active_profiles
from handlers.mentoring.skills import Goals, read
from handlers.mentoring.tables import Answer, MentorAvoid, MentorPair, PairStatus
from handlers.mentoring.words import status_name

OPEN: tuple[PairStatus, ...] = ("proposed", "active")
ROUND_KIND = "mentor.round"
SWEEP_KIND = "mentor.sweep"
# Rounds on a named cadence start on Monday morning in the workspace's time zone.
CADENCES: dict[str, dict[str, Any]] = {
    "weekly": {"type": "cron", "day_of_week": "mon", "hour": 9, "minute": 0},
    "monthly": {"type": "cron", "day": "1-7", "day_of_week": "mon", "hour": 9, "minute": 0},
}


@dataclass
class Introduction:
    pair: MentorPair
    mentor: Person
    mentee: Person
    availability: dict[int, str]


@dataclass
class RoundResult:
    introductions: list[Introduction]
    unmatched: list[Person]


def reporting_line(person_id: int, managers: dict[int, int | None]) -> set[int]:
    """Everyone above `person_id`: their manager, that manager's manager, and so on."""
    above: set[int] = set()
    current = managers.get(person_id)
    while current is not None and current not in above and current != person_id:
        above.add(current)
        current = managers.get(current)
    return above


def utc_offset_hours(timezone: str, now: datetime) -> float:
    offset = now.astimezone(ZoneInfo(timezone)).utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


async def forbidden_pairs(
    session: AsyncSession, workspace: Workspace, people: list[Person]
) -> set[tuple[int, int]]:
    """(mentor, mentee) pairs a round may never make, as ordered pairs in both directions:
    anyone in the other's reporting line, any past pair, and anyone on a do-not-pair list."""
    everyone = await session.exec(select(Person).where(Person.workspace_id == workspace.id))
    managers = {p.id: p.manager_id for p in everyone.all() if p.id is not None}
    banned: set[tuple[int, int]] = set()
    for person in people:
        assert person.id is not None
        for boss in reporting_line(person.id, managers):
            banned |= {(boss, person.id), (person.id, boss)}
    past = await session.exec(
        select(MentorPair.mentor_id, MentorPair.mentee_id).where(
            MentorPair.workspace_id == workspace.id
        )
    )
    avoided = await session.exec(
        select(MentorAvoid.person_id, MentorAvoid.avoid_id).where(
            MentorAvoid.workspace_id == workspace.id
        )
    )
    for a, b in [*past.all(), *avoided.all()]:
        banned |= {(a, b), (b, a)}
    return banned


async def run_round(
    session: AsyncSession,
    workspace: Workspace,
    now: datetime,
    checkin_days: int,
    settings: Settings,
) -> RoundResult:
    """Match every mentee without a mentor to the best free mentor, optimally overall. A
    mentor's tags are the goals their skills meet (handlers.mentoring.skills), so that
    the matching compares goals with goals."""
    assert workspace.id is not None
    await lock_workspace(session, workspace)
    profiles = await active_profiles(session, workspace)
    open_pairs = (
        await session.exec(
            select(MentorPair).where(
                MentorPair.workspace_id == workspace.id, col(MentorPair.status).in_(OPEN)
            )
        )
    ).all()
    load: dict[int, int] = {}
    for pair in open_pairs:
        load[pair.mentor_id] = load.get(pair.mentor_id, 0) + 1
    taken = {pair.mentee_id for pair in open_pairs}
    people = {person.id: person for _, person in profiles if person.id is not None}
    free = {profile.person_id: profile.availability for profile, _ in profiles}
    language = {p.id: person_language(p, workspace, settings) for p in people.values()}
    seeking = [(f, p) for f, p in profiles if f.role in ("mentee", "both") and p.id not in taken]
    goals = Goals({goal: read(goal, language[p.id]) for f, p in seeking for goal in f.goals})
    mentors, mentees = [], []
    for profile, person in profiles:
        assert person.id is not None
        offset = utc_offset_hours(person.timezone, now)
        if profile.role in ("mentor", "both"):
            spare = profile.capacity - load.get(person.id, 0)
            tags = goals.met_by(read(skill, language[person.id]) for skill in profile.skills)
            mentors.append(Candidate(person.id, tags, offset, person.department, spare))
    for profile, person in seeking:
        assert person.id is not None
        offset = utc_offset_hours(person.timezone, now)
        mentees.append(Candidate(person.id, frozenset(profile.goals), offset, person.department))
    banned = await forbidden_pairs(session, workspace, list(people.values()))
    assignment = assign(mentors, mentees, banned)
    introductions = []
    for match in assignment.matches:
        pair = MentorPair(
            workspace_id=workspace.id,
            mentor_id=match.mentor_id,
            mentee_id=match.mentee_id,
            fit=match.fit.score,
            reasons={
                "shared": list(match.fit.shared),
                "overlap_hours": match.fit.overlap_hours,
                "cross_department": match.fit.cross_department,
            },
            created_at=now,
            # The introduction is the first nudge: silence until the next one counts.
            last_nudge_at=now,
            next_nudge_at=now + timedelta(days=checkin_days),
        )
        session.add(pair)
        mentor, mentee = people[match.mentor_id], people[match.mentee_id]
        introductions.append(Introduction(pair, mentor, mentee, free))
    await session.flush()
    if introductions:
        await ensure_sweep(session, workspace, now)
    matched = {m.mentee_id for m in assignment.matches}
    unmatched = [people[m.id] for m in mentees if m.id not in matched]
    return RoundResult(introductions, unmatched)


async def ensure_sweep(session: AsyncSession, workspace: Workspace, now: datetime) -> None:
    """The daily pass that nudges pairs, asks for feedback and pauses silent pairs."""
    found = await session.exec(
        select(Schedule.id).where(
            Schedule.workspace_id == workspace.id,
            Schedule.kind == SWEEP_KIND,
            col(Schedule.enabled),
        )
    )
    if found.first() is None:
        await add_schedule(
            session,
            workspace,
            SWEEP_KIND,
            {"type": "cron", "hour": 9, "minute": 0},
            now=now,
            timezone=workspace.timezone,
            name="mentoring check-ins",  # not translated: a schedule's name, for operators
        )


def round_trigger(text: str) -> dict[str, Any]:
    """`weekly`, `monthly` or a five-field crontab line such as `0 9 1 * *`."""
    words = text.split()
    if len(words) == 1 and words[0].lower() in CADENCES:
        return CADENCES[words[0].lower()]
    if len(words) == 5:
        return {"type": "cron", "expression": " ".join(words)}
    raise UserError(
        _(
            "Try `/mentor schedule weekly`, `/mentor schedule monthly`, a crontab line like "
            "`/mentor schedule 0 9 1 * *`, or `/mentor schedule off`."
        )
    )


async def set_round_schedule(
    session: AsyncSession, workspace: Workspace, text: str, now: datetime
) -> Schedule | None:
    """Replace the workspace's round schedule (None: rounds only when an admin starts one)."""
    trigger = None if text.strip().lower() == "off" else round_trigger(text)
    if trigger is not None:
        try:
            make_trigger(trigger, workspace.timezone)
        except ValueError as bad:
            raise UserError(
                _("That schedule doesn't work: {problem}.").format(problem=bad)
            ) from bad
    current = await session.exec(
        select(Schedule).where(
            Schedule.workspace_id == workspace.id,
            Schedule.kind == ROUND_KIND,
            col(Schedule.enabled),
        )
    )
    for schedule in current.all():
        schedule.enabled = False
    if trigger is None:
        return None
    return await add_schedule(
        session,
        workspace,
        ROUND_KIND,
        trigger,
        now=now,
        timezone=workspace.timezone,
        name="mentoring rounds",  # not translated: a schedule's name, for operators
    )


@dataclass
class AnswerOutcome:
    pair: MentorPair
    side: Literal["mentor", "mentee"]
    other_id: int


async def pair_for(session: AsyncSession, person: Person, value: str) -> AnswerOutcome:
    """The pair a button names, if `person` is in it."""
    # Locked: both sides may click at once, and each must see the other's answer.
    pair = await locked_by_id(session, MentorPair, value)
    if pair is None or person.id not in (pair.mentor_id, pair.mentee_id):
        raise UserError(_("That mentoring match isn't yours, or no longer exists."))
    if pair.mentor_id == person.id:
        return AnswerOutcome(pair, "mentor", pair.mentee_id)
    return AnswerOutcome(pair, "mentee", pair.mentor_id)


def heard_from(pair: MentorPair, now: datetime) -> None:
    pair.last_response_at = now
    pair.nudges_unanswered = 0


def answer(found: AnswerOutcome, choice: Answer, now: datetime, checkin_days: int) -> None:
    pair = found.pair
    if pair.status != "proposed":
        raise UserError(
            _("This match is already {status}.").format(status=status_name(pair.status))
        )
    heard_from(pair, now)
    if found.side == "mentor":
        pair.mentor_answer = choice
    else:
        pair.mentee_answer = choice
    if choice == "declined":
        pair.status = "declined"
    elif pair.mentor_answer == pair.mentee_answer == "accepted":
        pair.status = "active"
        pair.activated_at = now
        pair.next_nudge_at = now + timedelta(days=checkin_days)


async def my_pairs(session: AsyncSession, person: Person) -> list[MentorPair]:
    found = await session.exec(
        select(MentorPair)
        .where(
            (MentorPair.mentor_id == person.id) | (MentorPair.mentee_id == person.id),
            col(MentorPair.status).in_(OPEN),
        )
        .order_by(col(MentorPair.id))
    )
    return list(found.all())

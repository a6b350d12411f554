"""What a person's home page shows, read from each feature's tables. No chat I/O here."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Person, Workspace
from handlers.ideas.rules import OPEN, Ranked, ranking
from handlers.ideas.tables import Idea, IdeaAuthor
from handlers.kudos.rules import Allowance, allowance
from handlers.kudos.settings import KudosSettings
from handlers.kudos.tables import Kudos
from handlers.pulse.invitees import open_strict_runs
from handlers.pulse.tables import PulseRespondent, PulseRun, PulseSurvey
from handlers.qa.tables import Question

RECENT = 5
# A question still waiting on someone: routed, being answered, or answered but not judged.
WAITING = ("open", "claimed", "answered")


@dataclass
class KudosLine:
    other: str
    reason: str
    at: datetime


@dataclass
class SurveyToAnswer:
    title: str
    # None for a strict survey: nothing records whether the person answered.
    answered: int | None
    questions: int
    closes_at: datetime


@dataclass
class Overview:
    allowance: Allowance
    received: list[KudosLine]
    given: list[KudosLine]
    asked: list[Question]
    claimed: list[Question]
    surveys: list[SurveyToAnswer]
    own_ideas: list[Idea]
    top_ideas: list[Ranked]


async def _kudos(session: AsyncSession, person: Person, *, given: bool) -> list[KudosLine]:
    mine, theirs = (
        (Kudos.giver_id, Kudos.receiver_id) if given else (Kudos.receiver_id, Kudos.giver_id)
    )
    found = await session.exec(
        select(Kudos, Person.display_name)
        .join(Person, col(Person.id) == theirs)
        .where(mine == person.id)
        .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
        .limit(RECENT)
    )
    return [KudosLine(name, kudos.reason, kudos.created_at) for kudos, name in found.all()]


async def _questions(
    session: AsyncSession, person: Person
) -> tuple[list[Question], list[Question]]:
    waiting = col(Question.status).in_(WAITING)
    asked = await session.exec(
        select(Question)
        .where(Question.asker_id == person.id, waiting)
        .order_by(col(Question.created_at).desc())
        .limit(RECENT)
    )
    claimed = await session.exec(
        select(Question)
        .where(Question.claimed_by_id == person.id, col(Question.status) == "claimed")
        .order_by(col(Question.claimed_at))
        .limit(RECENT)
    )
    return list(asked.all()), list(claimed.all())


async def _surveys(session: AsyncSession, person: Person) -> list[SurveyToAnswer]:
    """Open runs the person was asked in and has not finished answering, and open strict runs
    they were asked in (whether they answered is not kept)."""
    found = await session.exec(
        select(PulseRespondent, PulseRun, PulseSurvey)
        .join(PulseRun, col(PulseRun.id) == PulseRespondent.run_id)
        .join(PulseSurvey, col(PulseSurvey.id) == PulseRun.survey_id)
        .where(PulseRespondent.person_id == person.id, col(PulseRun.closed_at).is_(None))
        .order_by(col(PulseRun.closes_at))
    )
    surveys = []
    for respondent, run, survey in found.all():
        questions = len(survey.spec.get("questions", []))
        if len(respondent.answered) < questions:
            surveys.append(
                SurveyToAnswer(survey.title, len(respondent.answered), questions, run.closes_at)
            )
    for run, survey in await open_strict_runs(session, person):
        questions = len(survey.spec.get("questions", []))
        surveys.append(SurveyToAnswer(survey.title, None, questions, run.closes_at))
    return sorted(surveys, key=lambda s: s.closes_at)


async def _own_ideas(session: AsyncSession, person: Person) -> list[Idea]:
    co_authored = select(IdeaAuthor.idea_id).where(IdeaAuthor.person_id == person.id)
    found = await session.exec(
        select(Idea)
        .where(
            or_(Idea.author_id == person.id, col(Idea.id).in_(co_authored)),
            col(Idea.stage).in_((*OPEN, "done", "declined")),
        )
        .order_by(col(Idea.stage_changed_at).desc())
        .limit(RECENT)
    )
    return list(found.all())


async def gather(
    session: AsyncSession,
    workspace: Workspace,
    person: Person,
    kudos_settings: KudosSettings,
    vote_half_life_days: float,
    now: datetime,
) -> Overview:
    asked, claimed = await _questions(session, person)
    return Overview(
        allowance=await allowance(session, person, kudos_settings, now),
        received=await _kudos(session, person, given=False),
        given=await _kudos(session, person, given=True),
        asked=asked,
        claimed=claimed,
        surveys=await _surveys(session, person),
        own_ideas=await _own_ideas(session, person),
        top_ideas=await ranking(session, workspace, None, now, vote_half_life_days, RECENT),
    )

"""Choosing experts for a question from the store: evidence, availability and workload.

The scoring itself is handlers.qa.expertise (pure, shared with the benchmark); this module
reads the evidence (declared topics, accepted and unhelpful answers, declines, kudos values,
replies in question threads),
leaves out whoever cannot be asked now (the asker, bots, people away or out of office, anyone
already asked about this question), and applies the workload rule: people already answering
something, or asked first for too many recent questions, move down.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, not_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.directory import is_reachable, reachable
from bot.kit.language import own_language
from bot.kit.preferences import personal_settings
from bot.models import Interaction, Person, Workspace
from bot.wiring.config import Settings
from handlers.kudos.tables import CompanyValue, Kudos
from handlers.qa import embeddings, expertise
from handlers.qa.expertise import (
    Answered,
    Ranker,
    Reply,
    Signal,
    Workload,
    best_first,
    combine,
    on_topic,
    rerank,
)
from handlers.qa.history import REPLY
from handlers.qa.settings import QaSettings
from handlers.qa.tables import Answer, ExpertProfile, ExpertTopic, Question, QuestionRoute
from handlers.qa.workhours import WorkingTime, add_working_hours


async def known_topics(session: AsyncSession, workspace: Workspace) -> set[str]:
    """Declared topics and company values: what a question's words are matched against."""
    declared = await session.exec(
        select(ExpertTopic.topic).where(ExpertTopic.workspace_id == workspace.id).distinct()
    )
    values = await session.exec(
        select(CompanyValue.tag).where(CompanyValue.workspace_id == workspace.id)
    )
    return set(declared.all()) | set(values.all())


async def evidence(
    session: AsyncSession, workspace: Workspace
) -> tuple[list[Signal[int]], list[Answered[int]]]:
    signals: list[Signal[int]] = []
    answered: list[Answered[int]] = []
    declared = await session.exec(
        select(ExpertTopic).where(ExpertTopic.workspace_id == workspace.id)
    )
    signals += [Signal(t.person_id, t.topic, expertise.DECLARED) for t in declared.all()]
    verdicts = await session.exec(
        select(Answer, Question)
        .join(Question, col(Question.id) == col(Answer.question_id))
        .where(Question.workspace_id == workspace.id, col(Answer.decided_at).is_not(None))
    )
    for answer, question in verdicts.all():
        assert answer.decided_at is not None
        accepted = answer.status == "accepted"
        weight = expertise.ACCEPTED_ANSWER if accepted else expertise.UNHELPFUL
        signals += [
            Signal(answer.answerer_id, t, weight, answer.decided_at) for t in question.topics
        ]
        if accepted:
            text = expertise.answered_text(question.text, question.topics, answer.text)
            asker = None if question.anonymous else question.asker_id
            topics = tuple(question.topics)
            answered.append(Answered(answer.answerer_id, text, answer.decided_at, topics, asker))
    declines = await session.exec(
        select(QuestionRoute, Question)
        .join(Question, col(Question.id) == col(QuestionRoute.question_id))
        .where(Question.workspace_id == workspace.id, QuestionRoute.status == "declined")
    )
    for route, question in declines.all():
        signals += [
            Signal(route.expert_id, t, expertise.DECLINED, route.decided_at)
            for t in question.topics
        ]
    kudos = await session.exec(
        select(Kudos.receiver_id, Kudos.value, Kudos.created_at).where(
            Kudos.workspace_id == workspace.id, col(Kudos.value).is_not(None)
        )
    )
    signals += [Signal(who, str(value), expertise.KUDOS, at) for who, value, at in kudos.all()]
    return signals, answered


async def replies(session: AsyncSession, workspace: Workspace) -> list[Reply[int]]:
    """Replies in question threads, as recorded for the interaction graph (handlers.qa.threads);
    an anonymous asker's threads record none."""
    found = await session.exec(
        select(Interaction.source_id, Interaction.target_id, Interaction.occurred_at).where(
            Interaction.workspace_id == workspace.id, Interaction.kind == REPLY
        )
    )
    return [Reply(who, asker, at) for who, asker, at in found.all()]


async def gone(session: AsyncSession, workspace: Workspace) -> set[int]:
    """Stand-ins for people who were erased (marked as bots) and people who left or have no
    platform account yet: what they did still counts where rows are counted, but nobody can
    ask them, so they are nobody's expert."""
    found = await session.exec(
        select(Person.id).where(
            Person.workspace_id == workspace.id, col(Person.is_bot) | not_(reachable())
        )
    )
    return {person_id for person_id in found.all() if person_id is not None}


async def ranker(
    session: AsyncSession, workspace: Workspace, now: datetime, half_life_days: float
) -> Ranker[int]:
    signals, answered = await evidence(session, workspace)
    left = await gone(session, workspace)
    return Ranker(
        [s for s in signals if s.person not in left],
        [a for a in answered if a.person not in left],
        now,
        half_life_days,
        [r for r in await replies(session, workspace) if r.person not in left],
    )


@dataclass(frozen=True)
class Asking:
    """The settings routing reads: the workspace's Q&A settings, and the environment's (for
    the embeddings server)."""

    qa: QaSettings
    settings: Settings


@dataclass(frozen=True)
class Candidate:
    """Someone who could be asked: their score, and which of the question's topics they
    know (`on_topic`: evidence on the question itself, see expertise.on_topic)."""

    person_id: int
    score: float
    on_topic: bool
    topics: tuple[str, ...] = ()


async def rank(
    session: AsyncSession, workspace: Workspace, question: Question, now: datetime, ask: Asking
) -> list[Candidate]:
    """Everyone with evidence for `question`, best first; by embeddings when configured."""
    found = await ranker(session, workspace, now, ask.qa.expertise_half_life_days)
    embedded = None
    if embeddings.configured(ask.settings):
        embedded = await embeddings.similarities(
            ask.settings, ask.qa.embedding_model, question.text, found.answered
        )
    asker = None if question.anonymous else question.asker_id
    language = await _asker_language(session, question)
    rows = found.features(question.topics, question.text, embedded, asker, language)
    scored = best_first((p, combine(row, found.weights)) for p, row in rows.items())
    return [
        Candidate(
            person_id,
            score,
            on_topic(rows[person_id], question.topics),
            tuple(found.known_topics(person_id, question.topics)),
        )
        for person_id, score in scored
    ]


async def _asker_language(session: AsyncSession, question: Question) -> str | None:
    """The asker's language, which reads the question's words (an anonymous asker's too: it
    is never shown, only used to stem)."""
    asker = await session.get(Person, question.asker_id)
    return None if asker is None else own_language(asker)


async def profile(session: AsyncSession, person: Person) -> ExpertProfile | None:
    found = await session.exec(select(ExpertProfile).where(ExpertProfile.person_id == person.id))
    return found.first()


def working_time(person: Person) -> WorkingTime:
    """Their working hours and days from their personal settings (`/rapport settings`, or
    `/expert hours`): one calendar for every feature; 09-17 Monday to Friday unless set."""
    chosen = personal_settings(person)
    hours = chosen.working_hours
    if hours is None:
        return WorkingTime(person.timezone, days=chosen.work_days)
    return WorkingTime(person.timezone, hours.start, hours.end, chosen.work_days)


def is_away(found: ExpertProfile | None, now: datetime) -> bool:
    if found is None:
        return False
    return found.away or (found.away_until is not None and found.away_until > now)


async def open_claims(session: AsyncSession, workspace: Workspace) -> Counter[int]:
    found = await session.exec(
        select(Question.claimed_by_id, func.count())
        .where(Question.workspace_id == workspace.id, Question.status == "claimed")
        .group_by(col(Question.claimed_by_id))
    )
    return Counter({who: n for who, n in found.all() if who is not None})


async def workload(session: AsyncSession, workspace: Workspace, now: datetime) -> Workload[int]:
    """Open claims, and who was asked first (the first route written) for each question
    routed in the last RECENT_DAYS days."""
    since = now - timedelta(days=expertise.RECENT_DAYS)
    found = await session.exec(
        select(QuestionRoute.question_id, QuestionRoute.expert_id)
        .join(Question, col(Question.id) == col(QuestionRoute.question_id))
        .where(Question.workspace_id == workspace.id, col(QuestionRoute.routed_at) >= since)
        .order_by(col(QuestionRoute.id))
    )
    first: dict[int, int] = {}
    for question_id, expert_id in found.all():
        first.setdefault(question_id, expert_id)
    return Workload(
        open_claims=await open_claims(session, workspace),
        firsts=Counter(first.values()),
        questions=len(first),
    )


@dataclass(frozen=True)
class Chosen:
    """An expert to ask, and why them: `topics` they know of the question's, or none when
    nobody on topic was available and they are asked for having helped before."""

    person: Person
    on_topic: bool
    topics: tuple[str, ...]


async def choose_experts(
    session: AsyncSession,
    workspace: Workspace,
    question: Question,
    count: int,
    now: datetime,
    ask: Asking,
) -> list[Chosen]:
    """Up to `count` people to ask next, best first, after the workload rule. Only people
    on the question's topic while any of them is available: someone who once answered
    something else is asked only when nobody on topic can be."""
    asked = set(
        (
            await session.exec(
                select(QuestionRoute.expert_id).where(QuestionRoute.question_id == question.id)
            )
        ).all()
    )
    available: list[Candidate] = []
    people: dict[int, Person] = {}
    for candidate in await rank(session, workspace, question, now, ask):
        person_id = candidate.person_id
        if person_id == question.asker_id or person_id in asked:
            continue
        person = await session.get(Person, person_id)
        if (
            person is None
            or person.is_bot
            or not is_reachable(person)
            or is_away(await profile(session, person), now)
        ):
            continue
        available.append(candidate)
        people[person_id] = person
    topical = [c for c in available if c.on_topic]
    pool = {c.person_id: c for c in (topical or available)}
    chosen = rerank(
        [(c.person_id, c.score) for c in pool.values()], await workload(session, workspace, now)
    )
    return [
        Chosen(people[person_id], pool[person_id].on_topic, pool[person_id].topics)
        for person_id, _ in chosen[:count]
    ]


async def still_asked(session: AsyncSession, question: Question) -> bool:
    """Whether some expert still has the question in hand (asked, not yet past their
    claim window)."""
    found = await session.exec(
        select(QuestionRoute.id).where(
            QuestionRoute.question_id == question.id, QuestionRoute.status == "pending"
        )
    )
    return found.first() is not None


async def add_route(
    session: AsyncSession, question: Question, expert: Person, now: datetime, claim_hours: float
) -> QuestionRoute:
    """Record that `expert` is asked; their claim window counts in their working hours."""
    assert question.id is not None and expert.id is not None
    due = add_working_hours(now, claim_hours, working_time(expert))
    route = QuestionRoute(question_id=question.id, expert_id=expert.id, routed_at=now, due_at=due)
    session.add(route)
    await session.flush()
    return route

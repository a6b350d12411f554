"""Q&A rules: asking, claiming, answering and the asker's verdict; declared expertise and
availability. Plain functions over a session that return data; no chat I/O here."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, delete, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.i18n import format_number
from bot.kit.interactions import Edge, record_interactions
from bot.models import Person, Workspace
from handlers.qa import parsing, routing
from handlers.qa.history import ANSWER
from handlers.qa.i18n import _
from handlers.qa.parsing import Ask
from handlers.qa.similarity import similar
from handlers.qa.tables import Answer, ExpertProfile, ExpertTopic, Question, QuestionRoute

MAX_TOPICS = 20


@dataclass
class Claimed:
    question: Question
    others: list[QuestionRoute]
    mine: QuestionRoute | None


async def get_question(
    session: AsyncSession, workspace_id: int | None, question_id: int
) -> Question:
    """The question, read afresh (another transaction may have just claimed it)."""
    found = await session.exec(
        select(Question)
        .where(Question.id == question_id, Question.workspace_id == workspace_id)
        .execution_options(populate_existing=True)
    )
    question = found.first()
    if question is None:
        raise UserError(_("I can't find question #{id}.").format(id=question_id))
    return question


async def similar_answered(
    session: AsyncSession,
    workspace: Workspace,
    text: str,
    threshold: float,
    limit: int = 3,
    language: str | None = None,
) -> list[tuple[Question, Answer]]:
    """Accepted answers to questions like `text` (in `language`, the asker's, else guessed),
    most alike first. An erased answerer's answers have no words left (their stand-in is
    marked as a bot): none is offered."""
    found = await session.exec(
        select(Question, Answer)
        .join(Answer, col(Answer.question_id) == col(Question.id))
        .join(Person, col(Person.id) == col(Answer.answerer_id))
        .where(
            Question.workspace_id == workspace.id,
            Answer.status == "accepted",
            col(Person.is_bot).is_(False),
        )
        .order_by(col(Question.id))
    )
    pairs = list(found.all())
    texts = [q.text for q, _ in pairs]
    return [pairs[i] for i in similar(text, texts, threshold, limit, language)]


async def create_question(
    session: AsyncSession,
    asker: Person,
    ask: Ask,
    similar_found: bool,
    now: datetime,
    origin: tuple[str, str | None] | None = None,
    language: str | None = None,
) -> Question:
    """A new question; `origin` is the channel (and platform thread, if any) it was asked in,
    where its answer will go. Anonymous questions have none: they are answered by DM.
    `language` is the asker's, when known, for finding its topics."""
    workspace = await session.get(Workspace, asker.workspace_id)
    assert workspace is not None and asker.id is not None
    known = await routing.known_topics(session, workspace)
    topics = parsing.find_topics(ask.text, known, language)
    question = Question(
        workspace_id=asker.workspace_id,
        asker_id=asker.id,
        anonymous=ask.anonymous,
        text=ask.text,
        topics=topics,
        status="suggested" if similar_found else "open",
        created_at=now,
    )
    if origin is not None and not ask.anonymous:
        question.origin_channel, question.thread = origin
    session.add(question)
    await session.flush()
    return question


def check_asker(question: Question, person: Person) -> None:
    if question.asker_id != person.id:
        raise UserError(_("Only the person who asked can do that."))


def settle_suggestion(question: Question, person: Person, solved: bool, now: datetime) -> None:
    """The asker's choice after seeing similar answered questions."""
    check_asker(question, person)
    if question.status != "suggested":
        raise UserError(_("Question #{id} has already moved on.").format(id=question.id))
    question.status = "solved" if solved else "open"
    question.closed_at = now if solved else None


async def claim(
    session: AsyncSession, question: Question, person: Person, now: datetime
) -> Claimed:
    """First claim wins: a conditional update, so of two simultaneous claims exactly one
    changes the row (PostgreSQL re-checks the condition after the winner commits; SQLite
    runs writers one at a time)."""
    if question.asker_id == person.id:
        raise UserError(_("You can't answer your own question."))
    routes = list(
        (
            await session.exec(
                select(QuestionRoute).where(QuestionRoute.question_id == question.id)
            )
        ).all()
    )
    mine = next((r for r in routes if r.expert_id == person.id), None)
    if mine is None and question.posted_at is None:
        raise UserError(_("Question #{id} was not sent to you.").format(id=question.id))
    won = await session.exec(
        update(Question)
        .where(
            col(Question.id) == question.id,
            col(Question.status) == "open",
            col(Question.claimed_by_id).is_(None),
        )
        .values(status="claimed", claimed_by_id=person.id, claimed_at=now)
    )
    question = await get_question(session, question.workspace_id, question.id or 0)
    if won.rowcount != 1:
        raise UserError(await _why_not_open(session, question, person))
    others = [r for r in routes if r is not mine and r.status in ("pending", "expired")]
    for route in others:
        route.status, route.decided_at = "closed", now
    if mine is not None:
        mine.status, mine.decided_at = "claimed", now
    session.add_all(routes)
    return Claimed(question, others, mine)


async def _why_not_open(session: AsyncSession, question: Question, person: Person) -> str:
    if question.claimed_by_id == person.id:
        return _("You are already answering question #{id}.").format(id=question.id)
    if question.status == "claimed":
        claimer = await session.get(Person, question.claimed_by_id)
        if claimer is None:
            return _(
                "Too late: someone is already answering question #{id}. Thank you anyway!"
            ).format(id=question.id)
        return _("Too late: {name} is already answering question #{id}. Thank you anyway!").format(
            name=claimer.display_name, id=question.id
        )
    return _("Question #{id} no longer needs an answer.").format(id=question.id)


async def decline(
    session: AsyncSession, question: Question, person: Person, now: datetime
) -> QuestionRoute:
    found = await session.exec(
        select(QuestionRoute).where(
            QuestionRoute.question_id == question.id, QuestionRoute.expert_id == person.id
        )
    )
    route = found.first()
    if route is None:
        raise UserError(_("Question #{id} was not sent to you.").format(id=question.id))
    if route.status not in ("pending", "expired"):
        raise UserError(
            _("Question #{id} has already moved on; nothing to do.").format(id=question.id)
        )
    route.status, route.decided_at = "declined", now
    session.add(route)
    return route


async def record_answer(
    session: AsyncSession, question: Question, person: Person, text: str, now: datetime
) -> Answer:
    if question.claimed_by_id != person.id or question.status != "claimed":
        if question.status in ("answered", "accepted", "solved"):
            raise UserError(_("Question #{id} has already been answered.").format(id=question.id))
        raise UserError(
            _(
                "You haven't claimed question #{id}. Click “I'll answer” on it first, so "
                "nobody else works on it at the same time."
            ).format(id=question.id)
        )
    assert question.id is not None and person.id is not None
    answer = Answer(
        question_id=question.id,
        answerer_id=person.id,
        text=parsing.check_answer(text),
        created_at=now,
    )
    question.status = "answered"
    session.add_all([answer, question])
    await session.flush()
    return answer


async def judge(
    session: AsyncSession, answer_id: int, person: Person, accepted: bool, now: datetime
) -> tuple[Question, Answer]:
    """The asker accepts an answer (it becomes knowledge) or marks it unhelpful (the
    question is open again for other experts)."""
    answer = await session.get(Answer, answer_id)
    question = await session.get(Question, answer.question_id) if answer else None
    if answer is None or question is None or question.workspace_id != person.workspace_id:
        raise UserError(_("I can't find that answer."))
    check_asker(question, person)
    if answer.status != "sent":
        if answer.status == "accepted":
            raise UserError(_("You already marked this answer as accepted."))
        raise UserError(_("You already marked this answer as unhelpful."))
    answer.status, answer.decided_at = ("accepted" if accepted else "unhelpful"), now
    if accepted:
        question.status, question.closed_at = "accepted", now
        if not question.anonymous:  # an edge to the asker would name them
            edge = Edge(answer.answerer_id, question.asker_id, ANSWER, f"answer:{answer.id}")
            await record_interactions(session, question.workspace_id, [edge], now)
    else:
        question.status, question.claimed_by_id, question.claimed_at = "open", None, None
    session.add_all([answer, question])
    return question, answer


async def declared_topics(session: AsyncSession, person: Person) -> list[str]:
    found = await session.exec(
        select(ExpertTopic.topic)
        .where(ExpertTopic.person_id == person.id)
        .order_by(col(ExpertTopic.topic))
    )
    return list(found.all())


async def add_topics(
    session: AsyncSession, person: Person, topics: list[str], now: datetime
) -> list[str]:
    if not topics:
        raise UserError(_("Which topics? Try `/expert add payroll, parental leave, benefits`."))
    have = await declared_topics(session, person)
    new = [t for t in topics if t not in have]
    if len(have) + len(new) > MAX_TOPICS:
        raise UserError(
            _("You can declare up to {count} topics; remove some first.").format(
                count=format_number(MAX_TOPICS)
            )
        )
    assert person.id is not None
    session.add_all(
        ExpertTopic(workspace_id=person.workspace_id, person_id=person.id, topic=t, created_at=now)
        for t in new
    )
    return new


async def remove_topics(session: AsyncSession, person: Person, topics: list[str]) -> list[str]:
    """Remove the given topics, or every declared topic when none is given."""
    have = await declared_topics(session, person)
    gone = [t for t in topics if t in have] if topics else have
    if not gone:
        raise UserError(
            _("You have not declared that topic.") if topics else _("You declared none.")
        )
    await session.exec(
        delete(ExpertTopic).where(
            col(ExpertTopic.person_id) == person.id, col(ExpertTopic.topic).in_(gone)
        )
    )
    return gone


async def ensure_profile(session: AsyncSession, person: Person) -> ExpertProfile:
    found = await routing.profile(session, person)
    if found is None:
        assert person.id is not None
        found = ExpertProfile(workspace_id=person.workspace_id, person_id=person.id)
        session.add(found)
    return found

"""Questions waiting for an answer at a given moment, and those of them past their deadline.

Worked out from times, not today's status, so that a past week counts what was waiting then
(the digest's late questions and the dashboard's weekly backlog read the same rules).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.qa import routing
from handlers.qa.settings import qa_settings
from handlers.qa.tables import Answer, Question
from handlers.qa.workhours import add_working_hours


async def waiting(
    session: AsyncSession,
    workspace: Workspace,
    moment: datetime,
    askers: set[int] | None = None,
) -> list[tuple[Question, Person]]:
    """Questions asked before `moment`, neither closed nor answered by then, oldest first,
    with their askers (only those in `askers`, when given)."""
    first = (
        select(Answer.question_id, func.min(Answer.created_at).label("at"))
        .group_by(col(Answer.question_id))
        .subquery()
    )
    query = (
        select(Question, Person, first.c.at)
        .join(Person, col(Person.id) == col(Question.asker_id))
        .outerjoin(first, first.c.question_id == col(Question.id))
        .where(
            Question.workspace_id == workspace.id,
            Question.status != "suggested",
            col(Question.created_at) < moment,
            (col(Question.closed_at).is_(None)) | (col(Question.closed_at) > moment),
        )
        .order_by(col(Question.created_at), col(Question.id))
    )
    if askers is not None:
        query = query.where(col(Question.asker_id).in_(askers))
    rows = (await session.exec(query)).all()
    return [(q, asker) for q, asker, answered in rows if answered is None or answered > moment]


def due_at(question: Question, asker: Person, workspace: Workspace, settings: Settings) -> datetime:
    """When the question's answer window runs out, in the asker's working hours, as the
    escalation counts it."""
    days = qa_settings(workspace, settings).answer_working_days
    hours = routing.working_time(asker)
    return add_working_hours(question.created_at, days * hours.hours_per_day, hours)


@dataclass(frozen=True)
class Late:
    """A question still waiting for its first answer after its answer window ran out."""

    question: Question
    due: datetime


def late(
    found: list[tuple[Question, Person]], moment: datetime, workspace: Workspace, settings: Settings
) -> list[Late]:
    """The waiting questions whose answer window had run out by `moment`, in their order."""
    past = []
    for question, asker in found:
        due = due_at(question, asker, workspace, settings)
        if due <= moment:
            past.append(Late(question, due))
    return past

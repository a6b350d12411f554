"""Q&A's part of the weekly digest: questions asked and answered, the median time to a first
answer, and the questions waiting past their deadline, listed by id for community managers."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Week
from bot.kit.wording import counted
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.qa import backlog
from handlers.qa.tables import Answer, Question

LISTED = 5


@dataclass(frozen=True)
class QaFacts:
    asked: int
    answered: int
    median_hours: float | None
    late: list[backlog.Late]
    unanswered: int = 0  # waiting for a first answer at the week's end, late or not

    @property
    def past_sla(self) -> int:
        return len(self.late)


async def qa_facts(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> QaFacts:
    asked = await session.exec(
        select(Question.id).where(
            Question.workspace_id == workspace.id,
            Question.status != "suggested",
            col(Question.created_at) >= week.start,
            col(Question.created_at) < week.end,
        )
    )
    first = func.min(Answer.created_at)
    first_answers = await session.exec(
        select(Question.created_at, first)
        .join(Answer, col(Answer.question_id) == col(Question.id))
        .where(Question.workspace_id == workspace.id)
        .group_by(col(Question.id), col(Question.created_at))
        .having(first >= week.start, first < week.end)
    )
    waits = [
        (answered - asked_at).total_seconds() / 3600
        for asked_at, answered in first_answers.all()
        if week.start <= answered < week.end
    ]
    waiting = await backlog.waiting(session, workspace, week.end)
    return QaFacts(
        asked=len(asked.all()),
        answered=len(waits),
        median_hours=round(statistics.median(waits), 1) if waits else None,
        late=backlog.late(waiting, week.end, workspace, settings),
        unanswered=len(waiting),
    )


async def past_sla(
    session: AsyncSession, workspace: Workspace, moment: datetime, settings: Settings
) -> int:
    return len(await late_at(session, workspace, moment, settings))


async def late_at(
    session: AsyncSession, workspace: Workspace, moment: datetime, settings: Settings
) -> list[backlog.Late]:
    """Questions that were waiting for an answer at `moment` with their answer window (in
    the asker's working hours, as the escalation counts it) run out, oldest first. Worked out
    from times, not today's status, so that past weeks count what was late then."""
    waiting = await backlog.waiting(session, workspace, moment)
    return backlog.late(waiting, moment, workspace, settings)


def _line(facts: QaFacts) -> str:
    median = "–" if facts.median_hours is None else f"{facts.median_hours:g} h"
    return (
        f"*Q&A*: {counted(facts.asked, 'question')} asked, {facts.answered} answered; "
        f"median time to first answer {median}; {facts.past_sla} waiting past their deadline."
    )


def _to_act_on(facts: QaFacts) -> tuple[str, ...]:
    """Ids and topics only: an anonymous question's words stay with its experts."""
    lines = []
    for late in facts.late[:LISTED]:
        question = late.question
        topics = ", ".join(f"#{t}" for t in question.topics) or "no topic"
        who = "claimed, not answered" if question.claimed_by_id else "nobody has claimed it"
        lines.append(
            f"Question #{question.id} ({topics}): past its deadline since "
            f"{late.due:%a %d %b}, {who} (the expert answers with `/answer {question.id} …`)"
        )
    if len(facts.late) > LISTED:
        lines.append(f"… and {counted(len(facts.late) - LISTED, 'more question')}")
    return tuple(lines)


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await qa_facts(session, workspace, week, settings)
    return DigestPart(
        title="Q&A",
        lines=(_line(facts),),
        summary=f"{counted(facts.asked, 'question')} asked",
        figures=(
            Figure("qa.asked", "Questions asked", facts.asked),
            Figure("qa.answered", "Questions answered", facts.answered),
            Figure(
                "qa.unanswered",
                "Questions still unanswered",
                facts.unanswered,
                more_is_better=False,
            ),
            Figure(
                "qa.late",
                "Questions waiting past their deadline",
                facts.past_sla,
                more_is_better=False,
            ),
        ),
        to_act_on=_to_act_on(facts),
        facts={
            "asked": facts.asked,
            "answered": facts.answered,
            "median_hours": facts.median_hours,
            "past_deadline": facts.past_sla,
        },
        order=40,
    )

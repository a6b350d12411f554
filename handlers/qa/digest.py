"""Q&A's part of the weekly digest: questions asked and answered, the median time to a first
answer, and the questions waiting past their deadline, listed by id for community managers."""

import statistics
from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Week
from bot.kit.i18n import current, format_list, format_number
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.qa import backlog
from handlers.qa.i18n import _, ngettext
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
    median = (
        "–"
        if facts.median_hours is None
        else _("{hours} h").format(hours=format_number(facts.median_hours))
    )
    return ngettext(
        "*Q&A*: {asked} question asked, {answered} answered; median time to first answer "
        "{median}; {late} waiting past their deadline.",
        "*Q&A*: {asked} questions asked, {answered} answered; median time to first answer "
        "{median}; {late} waiting past their deadline.",
        facts.asked,
    ).format(
        asked=format_number(facts.asked),
        answered=format_number(facts.answered),
        median=median,
        late=format_number(facts.past_sla),
    )


def _to_act_on(facts: QaFacts) -> tuple[str, ...]:
    """Ids and topics only: an anonymous question's words stay with its experts."""
    lines = []
    for late in facts.late[:LISTED]:
        question = late.question
        topics = format_list(f"#{t}" for t in question.topics) or _("no topic")
        if question.claimed_by_id:
            line = _(
                "Question #{id} ({topics}): past its deadline since {day}, claimed, not "
                "answered (the expert answers with `/answer {id} …`)"
            )
        else:
            line = _(
                "Question #{id} ({topics}): past its deadline since {day}, nobody has claimed "
                "it (the expert answers with `/answer {id} …`)"
            )
        day = format_skeleton("MMMEd", late.due, locale=current())
        lines.append(line.format(id=question.id, topics=topics, day=day))
    more = len(facts.late) - LISTED
    if more > 0:
        lines.append(
            ngettext("… and {count} more question", "… and {count} more questions", more).format(
                count=format_number(more)
            )
        )
    return tuple(lines)


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await qa_facts(session, workspace, week, settings)
    return DigestPart(
        title=_("Q&A"),
        lines=(_line(facts),),
        summary=ngettext("{count} question asked", "{count} questions asked", facts.asked).format(
            count=format_number(facts.asked)
        ),
        figures=(
            Figure("qa.asked", _("Questions asked"), facts.asked),
            Figure("qa.answered", _("Questions answered"), facts.answered),
            Figure(
                "qa.unanswered",
                _("Questions still unanswered"),
                facts.unanswered,
                more_is_better=False,
            ),
            Figure(
                "qa.late",
                _("Questions waiting past their deadline"),
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

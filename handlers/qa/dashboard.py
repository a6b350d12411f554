"""Q&A on the dashboard: open questions now against a week ago, and per calendar week the
questions asked and answered, the backlog past its deadline and the time to a first answer.

Counts only; with a department chosen, the questions its people asked.
"""

import statistics
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Card, Line, Panel, Part, Trend, View
from bot.kit.tallies import department_members, per_week
from handlers.qa import backlog
from handlers.qa.i18n import _
from handlers.qa.tables import Answer, Question


async def _asked(session: AsyncSession, view: View, askers: set[int] | None) -> list[datetime]:
    query = select(Question.created_at).where(
        Question.workspace_id == view.workspace.id,
        Question.status != "suggested",
        col(Question.created_at) >= view.weeks[0].start,
        col(Question.created_at) < view.weeks[-1].end,
    )
    if askers is not None:
        query = query.where(col(Question.asker_id).in_(askers))
    return list((await session.exec(query)).all())


async def _first_answers(
    session: AsyncSession, view: View, askers: set[int] | None
) -> list[tuple[datetime, datetime]]:
    """(asked, first answered) of the questions first answered in the weeks shown."""
    first = func.min(Answer.created_at)
    query = (
        select(Question.created_at, first)
        .join(Answer, col(Answer.question_id) == col(Question.id))
        .where(Question.workspace_id == view.workspace.id)
        .group_by(col(Question.id), col(Question.created_at))
        .having(first >= view.weeks[0].start, first < view.weeks[-1].end)
    )
    if askers is not None:
        query = query.where(col(Question.asker_id).in_(askers))
    return [(asked, answered) for asked, answered in (await session.exec(query)).all()]


def _median_hours(pairs: list[tuple[datetime, datetime]]) -> float | None:
    waits = [(answered - asked).total_seconds() / 3600 for asked, answered in pairs]
    return round(statistics.median(waits), 1) if waits else None


async def panel(session: AsyncSession, view: View) -> Panel:
    askers = await department_members(session, view.workspace.id or 0, view.department)
    now_open = await backlog.waiting(session, view.workspace, view.now, askers)
    before = await backlog.waiting(session, view.workspace, view.now - timedelta(weeks=1), askers)
    answers = await _first_answers(session, view, askers)
    overdue = []
    for week in view.weeks:
        found = await backlog.waiting(session, view.workspace, week.end, askers)
        overdue.append(float(len(backlog.late(found, week.end, view.workspace, view.settings))))
    labels = [week.label for week in view.weeks]
    answered = per_week((at for _asked, at in answers), view.weeks)
    medians = [
        _median_hours([(q, a) for q, a in answers if week.start <= a < week.end])
        for week in view.weeks
    ]
    return Panel(
        _("Questions and answers"),
        cards=[
            Card(
                _("Open questions"),
                len(now_open),
                len(before),
                period=_("waiting for an answer now, against a week ago"),
            )
        ],
        figures=[
            Trend(
                _("Questions per week"),
                _(
                    "Questions asked and first answered in each calendar week, and the "
                    "questions still waiting past their deadline when the week ended (a running "
                    "backlog, not a weekly count)."
                ),
                labels,
                [
                    Line(
                        _("asked"),
                        [
                            float(n)
                            for n in per_week(await _asked(session, view, askers), view.weeks)
                        ],
                    ),
                    Line(_("answered"), [float(n) for n in answered]),
                    Line(_("overdue at the week's end"), overdue),
                ],
            ),
            Trend(
                _("Hours to a first answer"),
                _(
                    "The median hours from a question to its first answer, for the questions "
                    "first answered in each calendar week; a gap where none was."
                ),
                labels,
                [Line(_("median hours"), medians)],
            ),
        ],
    )


PARTS = (Part("trends", panel, order=30),)

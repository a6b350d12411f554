"""Mentoring on the dashboard: new pairs per calendar week (with a department chosen, the
pairs whose mentee is in it). Counts only."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Line, Panel, Part, Trend, View
from bot.kit.tallies import department_members, per_week
from handlers.mentoring.i18n import _
from handlers.mentoring.tables import MentorPair


async def panel(session: AsyncSession, view: View) -> Panel:
    members = await department_members(session, view.workspace.id or 0, view.department)
    query = select(MentorPair.created_at).where(
        MentorPair.workspace_id == view.workspace.id,
        col(MentorPair.created_at) >= view.weeks[0].start,
        col(MentorPair.created_at) < view.weeks[-1].end,
    )
    if members is not None:
        query = query.where(col(MentorPair.mentee_id).in_(members))
    counts = per_week((await session.exec(query)).all(), view.weeks)
    return Panel(
        _("Mentoring"),
        figures=[
            Trend(
                _("New mentoring pairs per week"),
                _("Mentoring pairs made in each calendar week."),
                [week.label for week in view.weeks],
                [Line(_("new pairs"), [float(n) for n in counts])],
            )
        ],
    )


PARTS = (Part("trends", panel, order=40),)

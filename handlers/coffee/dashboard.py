"""Coffee on the dashboard: groups made per calendar week (with a department chosen, the
groups with someone from it) and how many said they met. Counts only."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Line, Panel, Part, Trend, View
from bot.kit.tallies import department_members, per_week
from handlers.coffee.i18n import _
from handlers.coffee.tables import CoffeeGroup


async def panel(session: AsyncSession, view: View) -> Panel:
    members = await department_members(session, view.workspace.id or 0, view.department)
    found = await session.exec(
        select(CoffeeGroup.created_at, CoffeeGroup.members, CoffeeGroup.met).where(
            CoffeeGroup.workspace_id == view.workspace.id,
            col(CoffeeGroup.created_at) >= view.weeks[0].start,
            col(CoffeeGroup.created_at) < view.weeks[-1].end,
        )
    )
    groups = [
        (at, met)
        for at, people, met in found.all()
        if members is None or members.intersection(people)
    ]
    return Panel(
        _("Coffee"),
        figures=[
            Trend(
                _("Coffee groups per week"),
                _(
                    "Coffee groups made in each calendar week, and those of them that said they "
                    "met."
                ),
                [week.label for week in view.weeks],
                [
                    Line(
                        _("groups"),
                        [float(n) for n in per_week((a for a, _ in groups), view.weeks)],
                    ),
                    Line(
                        _("met"),
                        [float(n) for n in per_week((a for a, m in groups if m), view.weeks)],
                    ),
                ],
            )
        ],
    )


PARTS = (Part("trends", panel, order=45),)

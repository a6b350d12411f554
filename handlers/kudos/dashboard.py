"""Kudos on the dashboard: kudos this week against last week, and kudos per calendar week.

Kudos are public already; the panel counts them and the people recognised, no names. With a
department chosen, it counts the kudos received by people in it.
"""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Card, Line, Panel, Part, Trend, View
from bot.kit.tallies import department_members, per_week, within
from handlers.kudos.i18n import _
from handlers.kudos.tables import Kudos


async def _given(session: AsyncSession, view: View, since: datetime) -> list[tuple[datetime, int]]:
    members = await department_members(session, view.workspace.id or 0, view.department)
    query = select(Kudos.created_at, Kudos.receiver_id).where(
        Kudos.workspace_id == view.workspace.id,
        col(Kudos.created_at) >= since,
        col(Kudos.created_at) < view.now,
    )
    if members is not None:
        query = query.where(col(Kudos.receiver_id).in_(members))
    return list((await session.exec(query)).all())


async def panel(session: AsyncSession, view: View) -> Panel:
    since = min([view.last_week_so_far[0], *(w.start for w in view.weeks)])
    given = await _given(session, view, since)
    moments = [at for at, _ in given]
    recognised = [
        float(len({who for at, who in given if week.start <= at < week.end})) for week in view.weeks
    ]
    labels = [week.label for week in view.weeks]
    kudos = [float(n) for n in per_week(moments, view.weeks)]
    return Panel(
        _("Kudos"),
        cards=[
            Card(
                _("Kudos this week"),
                within(moments, *view.this_week),
                within(moments, *view.last_week_so_far),
                period=_("since Monday, against the same days last week"),
            )
        ],
        figures=[
            Trend(
                _("Kudos per week"),
                _(
                    "Kudos given and people recognised in each calendar week (Monday to "
                    "Sunday); the table below the chart holds the same numbers."
                ),
                labels,
                [Line(_("kudos"), kudos), Line(_("people recognised"), recognised)],
            )
        ],
    )


PARTS = (Part("trends", panel, order=20),)

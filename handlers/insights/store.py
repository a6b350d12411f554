"""Insights from the store: load a workspace's people and edges, then compute."""

from datetime import datetime, timedelta

from sqlalchemy import select as select_columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Interaction, Person
from handlers.insights.graph import EdgeTable, Member, edge_table
from handlers.insights.metrics import BETWEENNESS_SAMPLES, ISOLATION_WEEKS, compute_insights
from handlers.insights.report import Insights


async def load_members(session: AsyncSession, workspace_id: int) -> list[Member]:
    """Everyone in the workspace except bots."""
    found = await session.exec(
        select(Person).where(Person.workspace_id == workspace_id, col(Person.is_bot).is_(False))
    )
    return [
        Member(p.id or 0, p.display_name, p.department, tuple(p.roles), p.manager_id)
        for p in found.all()
    ]


async def load_edges(
    session: AsyncSession,
    workspace_id: int,
    since: datetime,
    until: datetime,
    kinds: tuple[str, ...] | None = None,
) -> EdgeTable:
    # SQLAlchemy's select, run on the connection: sqlmodel's is typed for at most four
    # columns, and plain rows are what a million edges need.
    query = select_columns(
        col(Interaction.source_id),
        col(Interaction.target_id),
        col(Interaction.kind),
        col(Interaction.weight),
        col(Interaction.occurred_at),
    ).where(
        col(Interaction.workspace_id) == workspace_id,
        col(Interaction.occurred_at) >= since,
        col(Interaction.occurred_at) < until,
    )
    if kinds is not None:
        query = query.where(col(Interaction.kind).in_(kinds))
    connection = await session.connection()
    return edge_table((await connection.execute(query)).all())


async def weekly_insights(
    session: AsyncSession,
    workspace_id: int,
    start: datetime,
    end: datetime,
    *,
    isolation_weeks: int = ISOLATION_WEEKS,
    samples: int | None = BETWEENNESS_SAMPLES,
) -> Insights:
    """Metrics for [start, end) (any length, a week in the digest), with growth against the
    window of the same length before it and isolation over the last `isolation_weeks`."""
    since = min(start - (end - start), end - timedelta(weeks=isolation_weeks))
    members = await load_members(session, workspace_id)
    edges = await load_edges(session, workspace_id, since, end)
    return compute_insights(
        edges, members, start, end, isolation_weeks=isolation_weeks, samples=samples
    )

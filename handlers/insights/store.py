"""Insights from the store: load a workspace's people and edges, then compute."""

from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Float, cast, func
from sqlalchemy import select as select_columns
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Interaction, Person
from handlers.insights.graph import EdgeTable, Member, edge_columns
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


def _epoch_seconds(dialect: str) -> ColumnElement[float]:
    """occurred_at as UTC epoch seconds, worked out by the database: a million datetime
    objects cost more than the metrics themselves."""
    column = col(Interaction.occurred_at)
    if dialect == "postgresql":
        return cast(func.extract("epoch", column), Float)
    # SQLite keeps UTC text; julianday reads it (2440587.5 is 1970-01-01 as a Julian day).
    return (func.julianday(column) - 2440587.5) * 86400.0


async def load_edges(
    session: AsyncSession,
    workspace_id: int,
    since: datetime,
    until: datetime,
    kinds: tuple[str, ...] | None = None,
) -> EdgeTable:
    connection = await session.connection()
    # SQLAlchemy's select, run on the connection: sqlmodel's is typed for at most four
    # columns, and plain rows are what a million edges need.
    query = select_columns(
        col(Interaction.source_id),
        col(Interaction.target_id),
        col(Interaction.kind),
        col(Interaction.weight),
        _epoch_seconds(connection.dialect.name),
    ).where(
        col(Interaction.workspace_id) == workspace_id,
        col(Interaction.occurred_at) >= since,
        col(Interaction.occurred_at) < until,
    )
    if kinds is not None:
        query = query.where(col(Interaction.kind).in_(kinds))
    rows = (await connection.execute(query)).all()
    source, target, kind, weight, at = zip(*rows, strict=True) if rows else ((),) * 5
    # Julian days carry about 40 microseconds of rounding: back to whole milliseconds, so
    # an edge stamped on a window's first instant stays inside it.
    return edge_columns(source, target, kind, weight, np.round(np.asarray(at, dtype=float), 3))


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

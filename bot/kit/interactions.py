"""The interaction graph: features record who interacted with whom, for insights."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Interaction
from bot.store.db_upsert import insert_ignore

# An edge as a feature's stored history implies it, for rebuilding the graph (a feature's
# `Feature.history`): source, target, kind, ref (the same as recorded live), when.
PastEdge = tuple[int, int, str, str, datetime]


@dataclass(frozen=True)
class Edge:
    """`kind` is what happened, named by the feature that records it (kudos, answer, vote:
    each feature's history.py); `ref` what caused it ("kudos:12")."""

    source_id: int
    target_id: int
    kind: str
    ref: str
    weight: float = 1.0


async def record_interactions(
    session: AsyncSession, workspace_id: int, edges: list[Edge], when: datetime
) -> int:
    """Store edges between different people; an edge already recorded is left as it is."""
    rows = [
        {
            "workspace_id": workspace_id,
            "source_id": edge.source_id,
            "target_id": edge.target_id,
            "kind": edge.kind,
            "ref": edge.ref,
            "weight": edge.weight,
            "occurred_at": when,
        }
        for edge in edges
        if edge.source_id != edge.target_id
    ]
    return await insert_ignore(session, Interaction, rows)


async def forget_interactions(
    session: AsyncSession, workspace_id: int, kind: str, ref: str, source_id: int | None = None
) -> None:
    """Remove what `ref` recorded (from `source_id` only, if given) when it is undone: an
    undone kudos or a withdrawn vote is no longer an interaction."""
    statement = delete(Interaction).where(
        col(Interaction.workspace_id) == workspace_id,
        col(Interaction.kind) == kind,
        col(Interaction.ref) == ref,
    )
    if source_id is not None:
        statement = statement.where(col(Interaction.source_id) == source_id)
    await session.exec(statement)

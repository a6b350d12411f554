"""Rebuild a workspace's interaction edges from what the features already hold.

The features record edges as they happen; each also derives the same edges (same kind and
ref, so nothing is stored twice) from what it holds (kudos, accepted answers, mentoring and
coffee meetings, idea votes and co-authorship), through its `Feature.history`: for data from
before the graph existed, or to repair it.
"""

from collections.abc import Iterable, Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.feature import Feature
from bot.kit.interactions import PastEdge
from bot.models import Interaction
from bot.store.db_upsert import insert_ignore

CHUNK = 1000  # rows per INSERT: PostgreSQL takes at most 32,767 parameters in one statement


async def _store(session: AsyncSession, workspace_id: int, rows: Iterable[PastEdge]) -> int:
    values = [
        {
            "workspace_id": workspace_id,
            "source_id": source,
            "target_id": target,
            "kind": kind,
            "ref": ref,
            "weight": 1.0,
            "occurred_at": when,
        }
        for source, target, kind, ref, when in rows
        if source != target
    ]
    added = 0
    for first in range(0, len(values), CHUNK):
        added += await insert_ignore(session, Interaction, values[first : first + CHUNK])
    return added


async def rebuild_interactions(
    session: AsyncSession, workspace_id: int, features: Sequence[Feature]
) -> int:
    """Record every edge the workspace's history implies, as `features` read it from their
    tables (their `Feature.history`); return how many were new."""
    rows: list[PastEdge] = []
    for feature in features:
        if feature.history is not None:
            rows += await feature.history(session, workspace_id)
    return await _store(session, workspace_id, rows)

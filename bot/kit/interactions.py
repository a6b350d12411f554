"""The interaction graph: features record who interacted with whom, for insights."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Interaction
from bot.store.db_upsert import insert_ignore

# What happened between two people: each feature records its kind, insights read them all.
KUDOS = "kudos"
ANSWER = "answer"  # an accepted answer: answerer -> asker
MENTORING = "mentoring"  # a mentoring meeting that took place: mentor -> mentee
COFFEE = "coffee"  # a coffee meeting that took place, one edge per pair in the group
VOTE = "vote"  # a vote on an idea: voter -> each of its authors
COAUTHOR = "coauthor"  # co-authors of one idea
COMMENT = "idea_comment"  # a message in an idea's thread: commenter -> each of its authors
REPLY = "reply"  # a reply in a thread the bot started: replier -> whoever the thread is about
KINDS: tuple[str, ...] = (KUDOS, ANSWER, MENTORING, COFFEE, VOTE, COAUTHOR, COMMENT, REPLY)

# An edge as a feature's stored history implies it, for rebuilding the graph (a feature's
# `Feature.history`): source, target, kind, ref (the same as recorded live), when.
PastEdge = tuple[int, int, str, str, datetime]


@dataclass(frozen=True)
class Edge:
    """`kind` is what happened (kudos, answer, vote, ...); `ref` what caused it ("kudos:12")."""

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

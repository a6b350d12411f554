"""Rebuild a workspace's interaction edges from what the features already hold.

The features record edges as they happen; this derives the same edges (same kind and ref, so
nothing is stored twice) from kudos, accepted answers, mentoring and coffee meetings, idea
votes and co-authorship: for data from before the graph existed, or to repair it.
"""

from collections.abc import Iterable
from datetime import datetime
from itertools import combinations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import ANSWER, COAUTHOR, COFFEE, KUDOS, MENTORING, VOTE
from bot.models import Interaction
from bot.store.db_upsert import insert_ignore
from handlers.coffee.tables import CoffeeGroup
from handlers.ideas.tables import Idea, IdeaAuthor, IdeaVote
from handlers.kudos.tables import Kudos
from handlers.mentoring.tables import MentorPair
from handlers.qa.tables import Answer, Question

Row = tuple[int, int, str, str, datetime]  # source, target, kind, ref, when
CHUNK = 1000  # rows per INSERT: PostgreSQL takes at most 32,767 parameters in one statement


async def _kudos(session: AsyncSession, workspace_id: int) -> list[Row]:
    found = await session.exec(select(Kudos).where(Kudos.workspace_id == workspace_id))
    return [
        (k.giver_id, k.receiver_id, KUDOS, f"kudos:{k.batch}", k.created_at) for k in found.all()
    ]


async def _answers(session: AsyncSession, workspace_id: int) -> list[Row]:
    found = await session.exec(
        select(Answer, Question)
        .join(Question, col(Question.id) == Answer.question_id)
        .where(
            Question.workspace_id == workspace_id,
            Answer.status == "accepted",
            col(Question.anonymous).is_(False),
        )
    )
    return [
        (a.answerer_id, q.asker_id, ANSWER, f"answer:{a.id}", a.decided_at or a.created_at)
        for a, q in found.all()
    ]


async def _meetings(session: AsyncSession, workspace_id: int) -> list[Row]:
    pairs = await session.exec(
        select(MentorPair).where(MentorPair.workspace_id == workspace_id, MentorPair.met_yes > 0)
    )
    rows: list[Row] = [
        (
            p.mentor_id,
            p.mentee_id,
            MENTORING,
            f"mentoring:{p.id}:{n}",
            p.last_response_at or p.activated_at or p.created_at,
        )
        for p in pairs.all()
        for n in range(1, p.met_yes + 1)
    ]
    groups = await session.exec(
        select(CoffeeGroup).where(
            CoffeeGroup.workspace_id == workspace_id, col(CoffeeGroup.met).is_(True)
        )
    )
    rows += [
        (a, b, COFFEE, f"coffee:{g.id}", g.answered_at or g.created_at)
        for g in groups.all()
        for a, b in combinations(sorted(g.members), 2)
    ]
    return rows


async def _ideas(session: AsyncSession, workspace_id: int) -> list[Row]:
    ideas = {
        i.id: i
        for i in (await session.exec(select(Idea).where(Idea.workspace_id == workspace_id))).all()
    }
    authors = {i: [idea.author_id] for i, idea in ideas.items()}
    coauthors = await session.exec(
        select(IdeaAuthor).where(col(IdeaAuthor.idea_id).in_(list(ideas)))
    )
    for credit in coauthors.all():
        authors[credit.idea_id].append(credit.person_id)
    votes = await session.exec(
        select(IdeaVote).where(col(IdeaVote.idea_id).in_(list(ideas)), col(IdeaVote.active))
    )
    rows: list[Row] = [
        (v.person_id, author, VOTE, f"idea:{v.idea_id}", v.changed_at)
        for v in votes.all()
        for author in authors[v.idea_id]
    ]
    for source in ideas.values():
        target = ideas.get(source.merged_into_id or -1)
        if target is not None:
            rows += [
                (target.author_id, p, COAUTHOR, f"idea:{target.id}", source.stage_changed_at)
                for p in authors[source.id]
            ]
    return rows


async def _store(session: AsyncSession, workspace_id: int, rows: Iterable[Row]) -> int:
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


async def rebuild_interactions(session: AsyncSession, workspace_id: int) -> int:
    """Record every edge the workspace's history implies; return how many were new."""
    rows: list[Row] = []
    for part in (_kudos, _answers, _meetings, _ideas):
        rows += await part(session, workspace_id)
    return await _store(session, workspace_id, rows)

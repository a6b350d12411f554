"""Insights from the store, on both databases: backfill from feature tables, then metrics."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.contract.events import Actor
from bot.kit.interactions import Edge, record_interactions
from bot.kit.people import ensure_person, ensure_workspace
from bot.models import Interaction, Person
from bot.store.db import Database
from handlers import features
from handlers.coffee.tables import CoffeeGroup
from handlers.ideas.tables import Idea, IdeaAuthor, IdeaVote
from handlers.insights import fairness_report, rebuild_interactions, weekly_insights
from handlers.kudos.tables import Kudos
from handlers.mentoring.tables import MentorPair
from handlers.qa.tables import Answer, Question

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


async def people(db: Database) -> tuple[int, dict[str, int]]:
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "W1", "Acme", NOW)
        ids = {}
        for name, department in [("ada", "Eng"), ("bob", "Eng"), ("cy", "Sales"), ("di", "Ops")]:
            person = await ensure_person(session, workspace, Actor(id=name, name=name), NOW)
            person.department = department
            session.add(person)
            ids[name] = person.id or 0
        bot = await ensure_person(session, workspace, Actor(id="bot", is_bot=True), NOW)
        ids["bot"] = bot.id or 0
    return workspace.id or 0, ids


def idea(workspace_id: int, author: int, title: str, **more: object) -> Idea:
    return Idea(
        workspace_id=workspace_id,
        author_id=author,
        title=title,
        channel="ideas",
        created_at=NOW,
        stage_changed_at=NOW,
        **more,
    )


async def history(db: Database, workspace_id: int, p: dict[str, int]) -> None:
    """Two kudos, an accepted and an anonymous answer, a mentor pair that met twice, a coffee
    group of three that met, and an idea merged into another with votes."""
    async with db.session() as session:
        session.add_all(
            Kudos(
                workspace_id=workspace_id,
                batch="b1",
                giver_id=p["ada"],
                receiver_id=r,
                reason="thanks for the help",
                created_at=NOW,
            )
            for r in (p["bob"], p["cy"])
        )
        for anonymous in (False, True):
            question = Question(
                workspace_id=workspace_id,
                asker_id=p["cy"],
                text="how?",
                anonymous=anonymous,
                created_at=NOW,
            )
            session.add(question)
            await session.flush()
            answer = Answer(
                question_id=question.id or 0,
                answerer_id=p["bob"],
                text="like so",
                status="accepted",
                created_at=NOW,
                decided_at=NOW,
            )
            session.add(answer)
        session.add(
            MentorPair(
                workspace_id=workspace_id,
                mentor_id=p["ada"],
                mentee_id=p["di"],
                status="active",
                met_yes=2,
                created_at=NOW,
                next_nudge_at=NOW,
            )
        )
        session.add(
            CoffeeGroup(
                workspace_id=workspace_id,
                period="2027-W01",
                members=[p["cy"], p["ada"], p["di"]],
                created_at=NOW,
                met=True,
                answered_at=NOW,
            )
        )
        target = idea(workspace_id, p["cy"], "bike racks")
        session.add(target)
        await session.flush()
        source = idea(workspace_id, p["di"], "bicycle parking", stage="merged")
        source.merged_into_id = target.id
        session.add(source)
        await session.flush()
        session.add(IdeaAuthor(idea_id=target.id or 0, person_id=p["di"]))
        session.add_all(
            IdeaVote(idea_id=target.id or 0, person_id=v, active=active, changed_at=NOW)
            for v, active in ((p["ada"], True), (p["bob"], False))
        )


async def test_backfill_rebuilds_every_kind_once(db: Database) -> None:
    workspace_id, p = await people(db)
    await history(db, workspace_id, p)
    async with db.session() as session:
        added = await rebuild_interactions(session, workspace_id, features())
    async with db.session() as session:
        again = await rebuild_interactions(session, workspace_id, features())
        stored = (await session.exec(select(Interaction))).all()
    found = sorted((e.kind, e.source_id, e.target_id) for e in stored)
    a, b, c, d = p["ada"], p["bob"], p["cy"], p["di"]
    assert found == sorted(
        [
            ("kudos", a, b),
            ("kudos", a, c),
            ("answer", b, c),  # the anonymous question's answer names no asker
            ("mentoring", a, d),
            ("mentoring", a, d),
            ("coffee", a, c),
            ("coffee", a, d),
            ("coffee", c, d),
            ("vote", a, c),  # to the author and the co-author; bob withdrew his vote
            ("vote", a, d),
            ("coauthor", c, d),
        ]
    )
    assert (added, again) == (11, 0)


async def test_weekly_insights_and_fairness_from_the_store(db: Database) -> None:
    workspace_id, p = await people(db)
    a, b, c, d = p["ada"], p["bob"], p["cy"], p["di"]
    async with db.session() as session:
        edges = [Edge(a, b, "kudos", f"kudos:{i}") for i in range(3)]
        edges += [Edge(b, a, "kudos", f"kudos:x{i}") for i in range(3)]
        edges += [Edge(b, c, "answer", "answer:1"), Edge(a, p["bot"], "reply", "reply:1")]
        await record_interactions(session, workspace_id, edges, NOW)
        await record_interactions(
            session, workspace_id, [Edge(c, d, "coffee", "coffee:1")], NOW - timedelta(days=9)
        )
        # On the window's first instant (counted) and on its end (the next window's).
        start, end = NOW - timedelta(days=1), NOW + timedelta(days=6)
        await record_interactions(session, workspace_id, [Edge(d, a, "vote", "idea:1")], start)
        await record_interactions(session, workspace_id, [Edge(d, b, "vote", "idea:2")], end)
    async with db.session() as session:
        insights = await weekly_insights(session, workspace_id, start, end)
        fairness = await fairness_report(
            session, workspace_id, NOW - timedelta(days=1), NOW + timedelta(days=6)
        )
        names = {
            person.id: person.display_name for person in (await session.exec(select(Person))).all()
        }
    assert [names[m.person_id] for m in insights.mavens()] == ["bob"]
    # di - ada - bob - cy: ada and bob carry as many paths and one tie out each
    assert [names[m.person_id] for m in insights.connectors(top=2)] == ["ada", "bob"]
    # the edge to the bot is not counted, nor the one on the window's end
    assert insights.community.interactions == 8
    assert insights.community.by_kind["vote"] == 1
    assert insights.community.reciprocity == 2 / 4
    assert insights.isolated == []
    assert p["bot"] not in {m.person_id for m in insights.people}
    assert [r.members for r in fairness.rings] == [(a, b)]

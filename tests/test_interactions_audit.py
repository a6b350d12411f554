"""The shared interaction graph and audit log, on both stores."""

from datetime import UTC, datetime

from sqlmodel import select

from bot.contract.events import Actor
from bot.kit.audit import record
from bot.kit.interactions import Edge, record_interactions
from bot.kit.people import ensure_person, ensure_workspace
from bot.models import AuditEntry, Interaction
from bot.store.db import Database

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


async def test_an_edge_recorded_twice_is_stored_once_and_self_edges_never(db: Database) -> None:
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "W1", "Acme", NOW)
        ada = await ensure_person(session, workspace, Actor(id="ada"), NOW)
        bob = await ensure_person(session, workspace, Actor(id="bob"), NOW)
        assert workspace.id and ada.id and bob.id
        edges = [Edge(ada.id, bob.id, "kudos", "kudos:1"), Edge(ada.id, ada.id, "kudos", "kudos:2")]
        assert await record_interactions(session, workspace.id, edges, NOW) == 1
        assert await record_interactions(session, workspace.id, edges[:1], NOW) == 0
        stored = (await session.exec(select(Interaction))).all()
    assert [(e.source_id, e.target_id, e.kind, e.occurred_at) for e in stored] == [
        (ada.id, bob.id, "kudos", NOW)
    ]


async def test_an_audit_entry_keeps_who_did_what_to_whom(db: Database) -> None:
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "W1", "Acme", NOW)
        admin = await ensure_person(session, workspace, Actor(id="ada"), NOW)
        bob = await ensure_person(session, workspace, Actor(id="bob"), NOW)
        assert workspace.id
        await record(
            session, workspace.id, admin.id, "role.grant", NOW, subject_id=bob.id, role="hr"
        )
        # The first person's automatic admin grant is logged too, with no actor.
        entry = (
            await session.exec(select(AuditEntry).where(AuditEntry.actor_id == admin.id))
        ).one()
    assert (entry.actor_id, entry.action, entry.subject_id) == (admin.id, "role.grant", bob.id)
    assert entry.detail == {"role": "hr"}

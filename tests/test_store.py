"""The store on real SQLite files and a real PostgreSQL server: types, upserts, constraints."""

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.events import Actor
from bot.kit.people import ensure_person, ensure_workspace, find_person
from bot.models import AuditEntry, Person, ProcessedEvent, Schedule, Workspace
from bot.store.db import Database
from bot.store.db_upsert import insert_ignore
from handlers.kudos.tables import Kudos

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


async def _count(db: Database, model: type[SQLModel]) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def _workspace(db: Database, external_id: str = "T1") -> Workspace:
    async with db.session() as session:
        return await ensure_workspace(session, "slack", external_id, "Acme", NOW)


async def _person(db: Database, workspace: Workspace, user_id: str, **profile: object) -> Person:
    async with db.session() as session:
        actor = Actor(id=user_id, **profile)
        return await ensure_person(session, workspace, actor, NOW)


def _event(event_id: str, platform: str = "slack") -> dict[str, object]:
    return {"platform": platform, "event_id": event_id, "received_at": NOW}


# Timestamps


async def test_timestamps_come_back_as_aware_utc(db: Database) -> None:
    paris_morning = datetime(2027, 3, 28, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    async with db.session() as session:
        session.add(Workspace(platform="slack", external_id="T1", created_at=paris_morning))
    async with db.session() as session:
        stored = (await session.exec(select(Workspace))).one()
    assert stored.created_at.tzinfo is UTC
    assert stored.created_at == paris_morning
    assert stored.created_at.hour == 8
    assert stored.created_at.microsecond == 123456


async def test_timestamps_compare_in_queries(db: Database) -> None:
    async with db.session() as session:
        for hours in (0, 1, 2):
            session.add(
                Workspace(
                    platform="slack",
                    external_id=f"T{hours}",
                    created_at=NOW + timedelta(hours=hours),
                )
            )
    # The same instant written in another zone must select the same rows.
    cut = (NOW + timedelta(minutes=90)).astimezone(timezone(timedelta(hours=-5)))
    async with db.session() as session:
        later = (await session.exec(select(Workspace).where(col(Workspace.created_at) > cut))).all()
    assert [w.external_id for w in later] == ["T2"]


async def test_naive_timestamps_are_refused(db: Database) -> None:
    with pytest.raises(StatementError) as refused:
        async with db.session() as session:
            session.add(
                Workspace(platform="slack", external_id="T1", created_at=datetime(2027, 1, 4))
            )
    assert isinstance(refused.value.orig, ValueError)
    assert "naive" in str(refused.value.orig)
    assert await _count(db, Workspace) == 0


async def test_nullable_timestamps_stay_none_or_come_back_aware(db: Database) -> None:
    workspace = await _workspace(db)
    async with db.session() as session:
        for name, fire_at in (("off", None), ("on", NOW + timedelta(days=1))):
            session.add(
                Schedule(
                    workspace_id=workspace.id or 0,
                    kind="pulse",
                    name=name,
                    next_fire_at=fire_at,
                    created_at=NOW,
                )
            )
    async with db.session() as session:
        stored = {s.name: s.next_fire_at for s in (await session.exec(select(Schedule))).all()}
    assert stored["off"] is None
    assert stored["on"] == NOW + timedelta(days=1)
    assert stored["on"] is not None and stored["on"].tzinfo is UTC


# insert_ignore


async def test_insert_ignore_skips_duplicates_and_counts(db: Database) -> None:
    async with db.session() as session:
        assert await insert_ignore(session, ProcessedEvent, [_event("E1"), _event("E2")]) == 2
    async with db.session() as session:
        rows = [_event("E2"), _event("E3"), _event("E1", platform="teams")]
        assert await insert_ignore(session, ProcessedEvent, rows) == 2
    async with db.session() as session:
        assert await insert_ignore(session, ProcessedEvent, [_event("E1"), _event("E3")]) == 0
        assert await insert_ignore(session, ProcessedEvent, []) == 0
    async with db.session() as session:
        stored = (
            await session.exec(select(ProcessedEvent.platform, ProcessedEvent.event_id))
        ).all()
    assert sorted(stored) == [("slack", "E1"), ("slack", "E2"), ("slack", "E3"), ("teams", "E1")]


async def test_insert_ignore_skips_a_duplicate_within_one_batch(db: Database) -> None:
    async with db.session() as session:
        assert await insert_ignore(session, ProcessedEvent, [_event("E1"), _event("E1")]) == 1
    assert await _count(db, ProcessedEvent) == 1


async def _wait_until_blocked(db: Database, pid: int) -> None:
    """Poll PostgreSQL until backend `pid` waits on a lock (bounded, not a timing assertion)."""
    query = text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid")
    for _ in range(200):
        async with db.session() as session:
            waiting = (await session.exec(query, params={"pid": pid})).scalar()  # type: ignore[call-overload]
        if waiting == "Lock":
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"backend {pid} never blocked on the first insert")


async def _racing_insert(db: Database, first: AsyncSession, commit: bool) -> int:
    """`first` holds an uncommitted insert; a second transaction inserts the same key."""
    async with db.session() as second:
        pid = (await second.exec(text("SELECT pg_backend_pid()"))).scalar()  # type: ignore[call-overload]
        racer = asyncio.create_task(insert_ignore(second, ProcessedEvent, [_event("E1")]))
        await _wait_until_blocked(db, pid)
        assert not racer.done()
        await (first.commit() if commit else first.rollback())
        return await racer


# SQLite serialises writers at BEGIN IMMEDIATE: only PostgreSQL has a race to lose.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("first_commits", [True, False], ids=["commit", "rollback"])
async def test_concurrent_inserts_of_one_event_have_one_winner(
    db: Database, first_commits: bool
) -> None:
    async with AsyncSession(db.engine) as first:
        assert await insert_ignore(first, ProcessedEvent, [_event("E1")]) == 1
        second_won = await _racing_insert(db, first, commit=first_commits)
    # The second writer waited for the first: it wins only if the first rolled back.
    assert second_won == (0 if first_commits else 1)
    assert await _count(db, ProcessedEvent) == 1


async def test_many_concurrent_inserts_of_one_event_have_one_winner(db: Database) -> None:
    async def attempt() -> int:
        async with db.session() as session:
            return await insert_ignore(session, ProcessedEvent, [_event("E1")])

    results = await asyncio.gather(*(attempt() for _ in range(8)))
    assert sorted(results) == [0] * 7 + [1]
    assert await _count(db, ProcessedEvent) == 1


# Workspaces and people on first sight


async def test_ensure_workspace_creates_once(db: Database) -> None:
    first = await _workspace(db)
    again = await _workspace(db)
    other = await _workspace(db, "T2")
    assert first.id is not None
    assert again.id == first.id
    assert other.id != first.id
    assert (first.platform, first.external_id, first.name, first.timezone) == (
        "slack",
        "T1",
        "Acme",
        "UTC",
    )
    assert first.created_at == NOW
    assert await _count(db, Workspace) == 2


async def test_ensure_workspace_named_after_its_id_when_nameless(db: Database) -> None:
    async with db.session() as session:
        workspace = await ensure_workspace(session, "discord", "G9", "", NOW)
    assert workspace.name == "G9"


async def test_first_human_becomes_admin_bots_never(db: Database) -> None:
    workspace = await _workspace(db)
    bot = await _person(db, workspace, "B1", name="Helper", is_bot=True)
    ann = await _person(db, workspace, "U1", name="Ann")
    bob = await _person(db, workspace, "U2", name="Bob")
    assert bot.roles == []
    assert bot.is_bot
    assert ann.roles == ["admin"]
    assert bob.roles == []
    # Admin is per workspace: the first human of another workspace is its admin.
    elsewhere = await _workspace(db, "T2")
    bob_elsewhere = await _person(db, elsewhere, "U2", name="Bob")
    assert bob_elsewhere.roles == ["admin"]
    assert bob_elsewhere.id != bob.id


async def test_first_admin_grant_is_in_the_audit_log(db: Database) -> None:
    workspace = await _workspace(db)
    ann = await _person(db, workspace, "U1", name="Ann")
    await _person(db, workspace, "U1", name="Ann")
    await _person(db, workspace, "U2", name="Bob")
    async with db.session() as session:
        entries = (await session.exec(select(AuditEntry))).all()
    assert [(e.action, e.actor_id, e.subject_id, e.detail) for e in entries] == [
        ("role.grant", None, ann.id, {"role": "admin", "reason": "first person seen"})
    ]


async def test_ensure_person_returns_the_same_row(db: Database) -> None:
    workspace = await _workspace(db)
    first = await _person(
        db, workspace, "U1", name="Ann", timezone="Europe/London", email="ann@example.com"
    )
    again = await _person(db, workspace, "U1", name="Ann Lee")
    assert again.id == first.id
    assert again.roles == ["admin"]
    assert again.display_name == "Ann Lee"  # the platform's newer name is kept
    assert again.timezone == "Europe/London"
    assert again.email == "ann@example.com"
    assert await _count(db, Person) == 1


async def test_ensure_person_defaults(db: Database) -> None:
    workspace = await _workspace(db)
    nameless = await _person(db, workspace, "U7", timezone="Mars/Olympus_Mons")
    assert nameless.display_name == "U7"
    assert nameless.timezone == "UTC"  # an unknown zone falls back to the workspace's
    assert nameless.created_at == NOW


# Unique constraints


async def test_workspace_platform_and_external_id_are_unique(db: Database) -> None:
    await _workspace(db)
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(Workspace(platform="slack", external_id="T1", created_at=NOW))
    async with db.session() as session:
        session.add(Workspace(platform="teams", external_id="T1", created_at=NOW))
    assert await _count(db, Workspace) == 2


async def test_person_workspace_and_user_id_are_unique(db: Database) -> None:
    workspace = await _workspace(db)
    other = await _workspace(db, "T2")
    await _person(db, workspace, "U1")
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(
                Person(workspace_id=workspace.id or 0, platform_user_id="U1", created_at=NOW)
            )
    async with db.session() as session:
        session.add(Person(workspace_id=other.id or 0, platform_user_id="U1", created_at=NOW))
    assert await _count(db, Person) == 2


def _kudos(workspace: Workspace, giver: Person, receiver: Person, ref: str | None) -> Kudos:
    return Kudos(
        workspace_id=workspace.id or 0,
        batch="b1",
        giver_id=giver.id or 0,
        receiver_id=receiver.id or 0,
        reason="thanks for the demo",
        source="reaction" if ref else "command",
        source_ref=ref,
        created_at=NOW,
    )


async def test_kudos_giver_receiver_and_source_are_unique(db: Database) -> None:
    workspace = await _workspace(db)
    ann = await _person(db, workspace, "U1")
    bob = await _person(db, workspace, "U2")
    async with db.session() as session:
        session.add(_kudos(workspace, ann, bob, "m1"))
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(_kudos(workspace, ann, bob, "m1"))
    async with db.session() as session:
        session.add(_kudos(workspace, ann, bob, "m2"))  # another message
        session.add(_kudos(workspace, bob, ann, "m1"))  # the other way round
        # Command kudos have no source: NULLs never collide, so thanking twice is allowed.
        session.add(_kudos(workspace, ann, bob, None))
        session.add(_kudos(workspace, ann, bob, None))
    assert await _count(db, Kudos) == 5


async def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with db.session() as session:
            session.add(Person(workspace_id=999, platform_user_id="U1", created_at=NOW))
    assert await _count(db, Person) == 0


async def test_where_the_platform_names_its_admins_only_one_of_them_is_first_admin(
    db: Database,
) -> None:
    workspace = await _workspace(db)
    member = await _person(db, workspace, "U1", name="Ann", platform_admin=False)
    owner = await _person(db, workspace, "U2", name="Bob", platform_admin=True)
    other_owner = await _person(db, workspace, "U3", name="Cara", platform_admin=True)
    assert (member.roles, owner.roles, other_owner.roles) == ([], ["admin"], [])


async def test_a_person_found_earlier_in_a_transaction_is_looked_up_again_if_changed(
    db: Database,
) -> None:
    now = datetime(2027, 1, 4, tzinfo=UTC)
    async with db.session() as session:
        workspace = await ensure_workspace(session, "slack", "T-SEEN", "Seen", now)
        first = await ensure_person(session, workspace, Actor(id="U1", name="Ann"), now)
        # The remembered row now belongs to another id, and U1 is someone new.
        first.platform_user_id = "U1-old"
        await session.flush()
        again = await ensure_person(session, workspace, Actor(id="U1", name="Bo"), now)
        assert (again.id != first.id, again.platform_user_id, again.display_name) == (
            True,
            "U1",
            "Bo",
        )
        assert await find_person(session, workspace, "U1") is again

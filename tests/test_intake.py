"""Durable intake on both databases: stored before the ack, once per platform id, worked off
by the fast path or, once its lease runs out, by any replica's sweep; retried, then dead. A
front stores each delivery held by nobody and works off none of it; a worker's sweep takes
it at once, and two workers never take the same row."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any, Literal

import pytest
from sqlmodel import select

from bot.delivery.intake import (
    SERVING_CONCURRENCY,
    STATEMENT_ROWS,
    WORKER_CONCURRENCY,
    Arrival,
    Intake,
    Work,
    create_table,
    delete_rows,
    intake_database,
)
from bot.models import InboundEvent
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings


def arrival(event_id: str, text: str = "hello") -> Arrival:
    return Arrival("slack", event_id, "test", {"text": text}, workspace="T1", actor="U1")


class Recorder:
    """A worker that remembers what it handled; fails the first `failures` times."""

    def __init__(self, failures: int = 0) -> None:
        self.handled: Counter[str] = Counter()
        self.failures = failures

    async def __call__(self, payload: dict[str, Any]) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("platform unreachable")
        self.handled[payload["text"]] += 1


@pytest.fixture
def intake_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"intake_lease_seconds": 30, "intake_max_attempts": 3, "intake_backoff_seconds": 2}
    )


Role = Literal["all", "front", "worker"]
Replica = Callable[..., Intake]


@pytest.fixture
async def replica(
    db: Database, clock: VirtualClock, intake_settings: Settings
) -> AsyncIterator[Replica]:
    """Intakes of replicas sharing `db`, each closed at the end; each does `all` the work
    unless told its role (docs/operations/replicas.md, fronts and workers)."""
    made: list[Intake] = []

    def make(work: Work, role: Role = "all") -> Intake:
        intake = Intake(db, clock, intake_settings.model_copy(update={"run_role": role}), role)
        intake.register("test", work)
        made.append(intake)
        return intake

    yield make
    for intake in made:
        await intake.close()


@pytest.fixture
async def store(db: Database) -> AsyncIterator[Database]:
    """Where the intake keeps its rows (on SQLite a file of its own)."""
    found = intake_database(db)
    await create_table(found)
    yield found
    if found is not db:
        await found.dispose()


async def rows(store: Database) -> list[InboundEvent]:
    async with store.session() as session:
        return list((await session.exec(select(InboundEvent))).all())


async def test_an_accepted_event_is_handled_and_then_deleted(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    work = Recorder()
    intake = replica(work)
    assert await intake.accept(arrival("Ev1"))
    await intake.idle()
    assert work.handled == {"hello": 1}
    assert await rows(store) == []


async def test_a_burst_is_stored_once_per_platform_id(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    """Concurrent deliveries share commits; a retry in the same burst or while the first is
    still stored is recognised."""
    work = Recorder()
    intake = replica(work)
    held = await intake.store(arrival("Ev0", "first"))
    burst = [arrival(f"Ev{i % 50}", f"m{i % 50}") for i in range(100)]
    accepted = await asyncio.gather(*(intake.accept(a) for a in burst))
    assert sum(accepted) == 49  # Ev1..Ev49 new; Ev0 waiting already, each retried once
    await intake.idle()
    assert work.handled == Counter({f"m{i}": 1 for i in range(1, 50)})
    assert [row.event_id for row in await rows(store)] == ["Ev0"]
    assert held is not None
    await intake.run(held)
    assert work.handled["first"] == 1
    await intake.idle()  # the delete follows in the background
    assert await rows(store) == []


async def test_a_dead_replicas_events_are_taken_over_once_its_lease_runs_out(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    dead = replica(Recorder())
    assert await dead.store(arrival("Ev1")) is not None  # stored, acked, then killed
    work = Recorder()
    survivor = replica(work)
    assert await survivor.sweep() == 0
    clock.advance(timedelta(seconds=29))
    assert await survivor.sweep() == 0
    clock.advance(timedelta(seconds=2))
    assert await survivor.sweep() == 1
    await survivor.idle()
    assert work.handled == {"hello": 1}
    assert await rows(store) == []


async def test_a_living_replica_keeps_its_leases(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    """Each sweep renews what the replica holds: a slow event is not taken from it."""
    slow = replica(Recorder())
    assert await slow.store(arrival("Ev1")) is not None
    other = replica(Recorder())
    for _ in range(3):
        clock.advance(timedelta(seconds=20))
        await slow.sweep()
        assert await other.sweep() == 0
    [row] = await rows(store)
    assert row.lease_owner == slow.owner


async def test_leases_are_renewed_once_a_third_of_them_has_passed(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    """A worker sweeps many times a second; each renewal takes the intake's write lock."""
    slow = replica(Recorder())
    assert await slow.store(arrival("Ev1")) is not None

    async def swept_lease() -> datetime | None:
        await slow.sweep()
        [row] = await rows(store)
        return row.lease_until

    renewed = await swept_lease()
    clock.advance(timedelta(seconds=9))
    assert await swept_lease() == renewed
    clock.advance(timedelta(seconds=1))
    assert await swept_lease() == clock.now() + timedelta(seconds=30)


async def test_a_failed_event_is_retried_after_a_wait(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    work = Recorder(failures=1)
    intake = replica(work)
    await intake.accept(arrival("Ev1"))
    await intake.idle()
    [row] = await rows(store)
    assert (row.attempts, row.lease_owner) == (1, None)
    assert await intake.sweep() == 0  # the retry waits its backoff
    clock.advance(timedelta(seconds=2))
    assert await intake.sweep() == 1
    await intake.idle()
    assert work.handled == {"hello": 1}
    assert await rows(store) == []


async def test_an_event_failing_every_attempt_is_left_dead(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    work = Recorder(failures=100)
    intake = replica(work)
    await intake.accept(arrival("Ev1"))
    await intake.idle()
    for _ in range(5):
        clock.advance(timedelta(minutes=5))
        await intake.sweep()
        await intake.idle()
    [row] = await rows(store)
    assert (row.attempts, row.lease_owner) == (3, None)
    assert work.failures == 97


async def test_closing_gives_back_the_leases_of_waiting_events(
    replica: Replica, store: Database, clock: VirtualClock
) -> None:
    leaving = replica(Recorder())
    assert await leaving.store(arrival("Ev1")) is not None
    await leaving.close()
    work = Recorder()
    successor = replica(work)
    assert await successor.sweep() == 1
    await successor.idle()
    assert work.handled == {"hello": 1}


def numbered(n: int) -> Arrival:
    return arrival(f"Ev{n}", f"m{n}")


async def test_a_front_leaves_every_delivery_to_the_workers(
    replica: Replica, store: Database
) -> None:
    front_work, worker_work = Recorder(), Recorder()
    front, worker = replica(front_work, "front"), replica(worker_work, "worker")
    accepted = await asyncio.gather(*(front.accept(numbered(n)) for n in range(20)))
    assert accepted == [True] * 20
    assert not await front.accept(numbered(3)), "a platform's retry is recognised"
    assert await front.sweep() == 0
    stored = await rows(store)
    assert {(row.lease_owner, row.attempts) for row in stored} == {(None, 0)}
    # No lease to wait for: the worker takes them on its next sweep.
    assert await worker.sweep() == 20
    await worker.idle()
    assert worker_work.handled == Counter({f"m{n}": 1 for n in range(20)})
    assert front_work.handled == Counter()
    assert await rows(store) == []


async def test_a_front_keeps_what_it_answers_itself(replica: Replica, store: Database) -> None:
    """A modal's submission is worked off by the front, whose answer depends on it."""
    front_work, worker_work = Recorder(), Recorder()
    front, worker = replica(front_work, "front"), replica(worker_work, "worker")
    held = await front.store(numbered(1))
    assert held is not None
    assert await worker.sweep() == 0
    await front.run(held)
    await front.idle()
    assert front_work.handled == {"m1": 1}
    assert worker_work.handled == Counter()


async def test_two_workers_never_take_the_same_row(replica: Replica, store: Database) -> None:
    front = replica(Recorder(), "front")
    first_work, second_work = Recorder(), Recorder()
    first, second = replica(first_work, "worker"), replica(second_work, "worker")
    await asyncio.gather(*(front.accept(numbered(n)) for n in range(60)))
    for _ in range(3):
        await asyncio.gather(first.sweep(), second.sweep())
        await asyncio.gather(first.idle(), second.idle())
    assert first_work.handled + second_work.handled == Counter({f"m{n}": 1 for n in range(60)})
    assert await rows(store) == []


async def test_a_claim_takes_at_most_a_statements_rows(replica: Replica, store: Database) -> None:
    """Each claim holds the intake's write lock while it runs; the fronts' acks wait."""
    front, worker = replica(Recorder(), "front"), replica(Recorder(), "worker")
    await asyncio.gather(*(front.accept(numbered(n)) for n in range(STATEMENT_ROWS + 8)))
    assert await worker.sweep() == STATEMENT_ROWS
    assert await worker.sweep() == 8


async def test_a_delete_takes_at_most_a_statements_rows(
    replica: Replica, store: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each group of deletes holds the intake's write lock while it runs, as a claim does.
    The first delete is held back until every event is handled, so the rest wait together."""
    events = 3 * STATEMENT_ROWS + 5
    work = Recorder()
    all_handled = asyncio.Event()

    async def handle(payload: dict[str, Any]) -> None:
        await work(payload)
        if sum(work.handled.values()) == events:
            all_handled.set()

    intake = replica(handle)
    deleted: list[int] = []
    let_go = asyncio.Event()
    run = intake._store.run

    async def deleting_later(statement: Any, **how: bool) -> Any:
        ids = statement.args[0] if _deletes(statement) else None
        if ids is not None:
            await let_go.wait()
            deleted.append(len(ids))
        return await run(statement, **how)

    monkeypatch.setattr(intake._store, "run", deleting_later)
    await asyncio.gather(*(intake.accept(numbered(n)) for n in range(events)))
    await all_handled.wait()
    let_go.set()
    await intake.idle()
    assert sum(deleted) == events
    assert max(deleted) == STATEMENT_ROWS
    assert await rows(store) == []


def _deletes(statement: Any) -> bool:
    return getattr(statement, "func", None) is delete_rows


def test_a_worker_handles_more_events_at_once_than_a_serving_process(
    replica: Replica, intake_settings: Settings, clock: VirtualClock, db: Database
) -> None:
    """A worker's handlers keep no acks waiting; where the process answers the platforms
    they share its event loop with the acks."""
    assert replica(Recorder(), "worker").concurrency == WORKER_CONCURRENCY
    assert replica(Recorder(), "front").concurrency == SERVING_CONCURRENCY
    assert replica(Recorder()).concurrency == SERVING_CONCURRENCY
    chosen = intake_settings.model_copy(update={"intake_concurrency": 3, "run_role": "worker"})
    assert Intake(db, clock, chosen, "w").concurrency == 3


async def test_a_worker_sweeps_for_the_fronts_rows_often(
    replica: Replica, intake_settings: Settings
) -> None:
    assert replica(Recorder(), "worker").sweep_seconds == intake_settings.intake_pickup_seconds
    assert replica(Recorder()).sweep_seconds == intake_settings.intake_poll_seconds
    assert replica(Recorder(), "front").sweep_seconds == intake_settings.intake_poll_seconds

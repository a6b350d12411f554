"""Fronts and workers (docs/operations/replicas.md): a front stores each delivery held by
nobody and works off none of it; a worker's sweep takes it at once, and two workers never
take the same row. On SQLite and PostgreSQL."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any, Literal

import pytest
from sqlmodel import select

from bot.delivery.intake import Arrival, Intake, create_table, intake_database
from bot.models import InboundEvent
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings

Role = Literal["all", "front", "worker"]


class Recorder:
    def __init__(self) -> None:
        self.handled: Counter[str] = Counter()

    async def __call__(self, payload: dict[str, Any]) -> None:
        self.handled[payload["text"]] += 1


def arrival(n: int) -> Arrival:
    return Arrival("slack", f"Ev{n}", "test", {"text": f"m{n}"}, workspace="T1", actor="U1")


Make = Callable[[Role, Recorder], Intake]


@pytest.fixture
async def make(db: Database, clock: VirtualClock, settings: Settings) -> AsyncIterator[Make]:
    made: list[Intake] = []

    def intake_of(role: Role, work: Recorder) -> Intake:
        intake = Intake(db, clock, settings.model_copy(update={"run_role": role}), role)
        intake.register("test", work)
        made.append(intake)
        return intake

    yield intake_of
    for intake in made:
        await intake.close()


@pytest.fixture
async def store(db: Database) -> AsyncIterator[Database]:
    found = intake_database(db)
    await create_table(found)
    yield found
    if found is not db:
        await found.dispose()


async def rows(store: Database) -> list[InboundEvent]:
    async with store.session() as session:
        return list((await session.exec(select(InboundEvent))).all())


async def test_a_front_leaves_every_delivery_to_the_workers(make: Make, store: Database) -> None:
    front_work, worker_work = Recorder(), Recorder()
    front, worker = make("front", front_work), make("worker", worker_work)
    accepted = await asyncio.gather(*(front.accept(arrival(n)) for n in range(20)))
    assert accepted == [True] * 20
    assert not await front.accept(arrival(3)), "a platform's retry is recognised"
    assert await front.sweep() == 0
    stored = await rows(store)
    assert {(row.lease_owner, row.attempts) for row in stored} == {(None, 0)}
    # No lease to wait for: the worker takes them on its next sweep.
    assert await worker.sweep() == 20
    await worker.idle()
    assert worker_work.handled == Counter({f"m{n}": 1 for n in range(20)})
    assert front_work.handled == Counter()
    assert await rows(store) == []


async def test_a_front_keeps_what_it_answers_itself(make: Make, store: Database) -> None:
    """A modal's submission is worked off by the front, whose answer depends on it."""
    front_work, worker_work = Recorder(), Recorder()
    front, worker = make("front", front_work), make("worker", worker_work)
    held = await front.store(arrival(1))
    assert held is not None
    assert await worker.sweep() == 0
    await front.run(held)
    await front.idle()
    assert front_work.handled == {"m1": 1}
    assert worker_work.handled == Counter()


async def test_two_workers_never_take_the_same_row(make: Make, store: Database) -> None:
    front = make("front", Recorder())
    first_work, second_work = Recorder(), Recorder()
    first, second = make("worker", first_work), make("worker", second_work)
    await asyncio.gather(*(front.accept(arrival(n)) for n in range(60)))
    for _ in range(3):
        await asyncio.gather(first.sweep(), second.sweep())
        await asyncio.gather(first.idle(), second.idle())
    assert first_work.handled + second_work.handled == Counter({f"m{n}": 1 for n in range(60)})
    assert await rows(store) == []


async def test_a_claim_cut_short_is_taken_over_when_its_lease_runs_out(
    make: Make, store: Database, clock: VirtualClock
) -> None:
    """A worker killed between marking its claim and taking it leaves the rows marked: they
    are another's once the lease it set runs out."""
    front = make("front", Recorder())
    await front.accept(arrival(1))
    async with store.session() as session:
        [row] = (await session.exec(select(InboundEvent))).all()
        row.lease_owner, row.attempts = "gone/0000?", 1
        row.lease_until = clock.now() + timedelta(seconds=30)
        session.add(row)
    work = Recorder()
    worker = make("worker", work)
    assert await worker.sweep() == 0
    clock.advance(timedelta(seconds=31))
    assert await worker.sweep() == 1
    await worker.idle()
    assert work.handled == {"m1": 1}


async def test_a_worker_sweeps_for_the_fronts_rows_often(make: Make, settings: Settings) -> None:
    assert make("worker", Recorder()).sweep_seconds == settings.intake_pickup_seconds
    assert make("all", Recorder()).sweep_seconds == settings.intake_poll_seconds
    assert make("front", Recorder()).sweep_seconds == settings.intake_poll_seconds

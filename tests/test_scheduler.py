"""The scheduler (bot/time/scheduler.py) on real databases, driven by Runtime on a virtual clock.

Every test builds "processes" (a Bot and its Runtime) over one database and one LocalPlatform,
which stands for the chat platform: it outlives any process, so a restart is a new Bot and
Runtime over the same database, and what the platform received is what users saw.
"""

import asyncio
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from sqlmodel import SQLModel, col, select

from adapters.local.platform import LocalPlatform
from bot.contract.app import Bot
from bot.contract.context import WorkContext
from bot.contract.events import Actor
from bot.contract.router import Router
from bot.contract.ui import Destination, text_message
from bot.delivery.outbox import SendReport
from bot.kit.people import ensure_workspace
from bot.models import DueWork, OutboxMessage, Schedule, Workspace
from bot.store.db import Database
from bot.time.clock import RealClock, VirtualClock
from bot.time.runtime import Runtime
from bot.time.scheduler import Scheduler, add_schedule
from bot.wiring.config import Settings
from bot.wiring.schema import metadata
from tests.conftest import _drop_schema, _postgres_database
from tests.waiting import until

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)
GENERAL = Destination(kind="channel", channel="general")
M = TypeVar("M", bound=SQLModel)


class Crash(BaseException):
    """Stands for the process dying (kill -9): no `except Exception` in the bot catches it."""


@dataclass
class World:
    db: Database
    clock: VirtualClock
    platform: LocalPlatform
    router: Router
    settings: Settings
    workspace_id: int
    processes: list[Runtime] = field(default_factory=list)

    def process(self, replica: str = "a") -> Runtime:
        """A fresh bot process over the same database and platform."""
        bot = Bot(self.db, self.router, self.settings, self.clock, {"local": self.platform})
        runtime = Runtime(bot, replica)
        self.processes.append(runtime)
        return runtime

    def configure(self, **changes: Any) -> None:
        self.settings = self.settings.model_copy(update=changes)

    async def schedule(
        self,
        kind: str,
        trigger: dict[str, Any],
        *,
        timezone: str = "UTC",
        payload: dict[str, Any] | None = None,
    ) -> int:
        async with self.db.session() as session:
            workspace = await session.get(Workspace, self.workspace_id)
            assert workspace is not None
            schedule = await add_schedule(
                session,
                workspace,
                kind,
                trigger,
                now=self.clock.now(),
                timezone=timezone,
                payload=payload,
            )
            assert schedule.id is not None
            return schedule.id

    async def rows(self, model: type[M]) -> Sequence[M]:
        async with self.db.session() as session:
            return (await session.exec(select(model).order_by(col(model.id)))).all()  # type: ignore[attr-defined]

    async def schedule_row(self, schedule_id: int) -> Schedule:
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            assert schedule is not None
            return schedule


@pytest.fixture
async def world(db: Database) -> World:
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        scheduler_grace_seconds=3600,
        outbox_max_attempts=8,
        outbox_backoff_seconds=2.0,
        outbox_lease_seconds=120,
    )
    clock = VirtualClock(START)
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "T1", "Acme", clock.now())
    assert workspace.id is not None
    return World(db, clock, LocalPlatform(), Router(), settings, workspace.id)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def period_utc(period: str) -> datetime:
    return datetime.fromisoformat(period).astimezone(UTC)


def daily(hour: int, minute: int = 0) -> dict[str, Any]:
    return {"type": "cron", "hour": hour, "minute": minute}


async def test_daily_schedule_fires_once_per_day_for_a_week(world: World) -> None:
    ran_at: list[tuple[str, datetime]] = []

    @world.router.schedule("standup")
    async def standup(ctx: WorkContext) -> None:
        ran_at.append((ctx.due.period, ctx.now))
        ctx.post("general", f"Stand-up time ({ctx.due.period})")

    schedule_id = await world.schedule("standup", daily(10))
    await world.process().advance(7 * DAY)

    expected = [utc(2027, 1, day, 10) for day in range(4, 11)]
    work = await world.rows(DueWork)
    assert [period_utc(w.period) for w in work] == expected
    assert all(w.status == "done" and w.schedule_id == schedule_id for w in work)
    # Each ran at its own time, not in a batch at the end.
    assert [now for _, now in ran_at] == expected
    outbox = await world.rows(OutboxMessage)
    assert [m.status for m in outbox] == ["sent"] * 7
    assert len(world.platform.sends) == 7
    assert len(world.platform.lines) == 7
    schedule = await world.schedule_row(schedule_id)
    assert schedule.next_fire_at == utc(2027, 1, 11, 10)
    assert schedule.last_period is not None and period_utc(schedule.last_period) == expected[-1]


def fan_out_digest(world: World, recipients: int, each: Callable[[WorkContext], None]) -> list[str]:
    """A "digest" schedule fanning out to u1..uN; the list fills with who was handled, in
    order, before `each` runs for them."""
    handled: list[str] = []

    @world.router.schedule("digest")
    async def digest(ctx: WorkContext) -> None:
        ctx.fan_out("digest.one", [f"u{i}" for i in range(1, recipients + 1)], {})

    @world.router.schedule("digest.one")
    async def digest_one(ctx: WorkContext) -> None:
        handled.append(ctx.due.recipient)
        each(ctx)

    return handled


async def test_firing_again_at_the_same_instant_creates_no_duplicate_work(world: World) -> None:
    calls: list[str] = []

    @world.router.schedule("nudge")
    async def nudge(ctx: WorkContext) -> None:
        calls.append(ctx.due.period)

    schedule_id = await world.schedule("nudge", daily(10))
    world.clock.set(utc(2027, 1, 4, 10))
    first, second = Scheduler(world.process("a").bot), Scheduler(world.process("b").bot)
    assert await first.fire_due() == 1
    assert await first.fire_due() == 0
    assert await second.fire_due() == 0  # another replica, same instant
    # A replica that read the schedule before it moved on fires the same period again:
    # the unique (schedule, period, recipient) key turns that into nothing.
    async with world.db.session() as session:
        schedule = await session.get(Schedule, schedule_id)
        assert schedule is not None
        schedule.next_fire_at = utc(2027, 1, 4, 10)
    assert await second.fire_due() == 0
    assert len(await world.rows(DueWork)) == 1
    assert await first.run_due() + await second.run_due() == 1
    assert calls == [(await world.rows(DueWork))[0].period]


async def test_two_replicas_firing_and_running_at_once_do_everything_once(world: World) -> None:
    def post(ctx: WorkContext) -> None:
        ctx.post("digests", f"digest for {ctx.due.recipient}")

    handled = fan_out_digest(world, 20, post)

    await world.schedule("digest", daily(10))
    world.clock.set(utc(2027, 1, 4, 10))
    replicas = [Scheduler(world.process(name).bot) for name in ("a", "b", "c")]
    fired = await asyncio.gather(*(r.fire_due() for r in replicas))
    assert sum(fired) == 1
    ran = await asyncio.gather(*(r.run_due() for r in replicas))
    assert sum(ran) == 21  # the firing and its 20 children, each by exactly one replica
    assert sorted(handled) == sorted(f"u{i}" for i in range(1, 21))
    work = await world.rows(DueWork)
    assert len(work) == 21 and {w.status for w in work} == {"done"}
    assert len(await world.rows(OutboxMessage)) == 20


async def test_fan_out_creates_one_child_per_recipient_each_run_once(world: World) -> None:
    recipients = ["ann", "bob", "cy", "dee"]
    for user in recipients:
        world.platform.users[user] = Actor(id=user, name=user.title())
    calls: list[str] = []

    @world.router.schedule("pulse")
    async def pulse(ctx: WorkContext) -> None:
        ctx.fan_out("pulse.ask", recipients, {"survey": ctx.schedule.payload["survey"]})

    @world.router.schedule("pulse.ask")
    async def ask(ctx: WorkContext) -> None:
        calls.append(ctx.due.recipient)
        survey = ctx.due.payload["survey"]
        ctx.outbox.add(Destination(kind="dm", user=ctx.due.recipient), text_message(survey))

    schedule_id = await world.schedule(
        "pulse", {"type": "date", "at": "2027-01-04T12:00:00+00:00"}, payload={"survey": "How?"}
    )
    await world.process().advance(DAY)

    assert sorted(calls) == sorted(recipients)
    work = await world.rows(DueWork)
    parent = [w for w in work if w.kind == "pulse"]
    children = [w for w in work if w.kind == "pulse.ask"]
    assert len(parent) == 1 and parent[0].recipient == ""
    assert sorted(w.recipient for w in children) == sorted(recipients)
    assert {w.period for w in children} == {parent[0].period}
    assert {w.status for w in work} == {"done"}
    assert {w.payload["survey"] for w in children} == {"How?"}
    assert sorted(d.destination.user for d in world.platform.sends) == sorted(recipients)
    assert all(line.startswith("[dm @") for line in world.platform.lines)
    # A one-off schedule is spent once it has fired.
    schedule = await world.schedule_row(schedule_id)
    assert schedule.enabled is False and schedule.next_fire_at is None


@pytest.mark.parametrize("batch", [1, 20])
async def test_crash_mid_fan_out_is_finished_by_the_restarted_process(
    world: World, batch: int
) -> None:
    world.configure(scheduler_batch_size=batch)
    # More units than a batch: the crash comes in the second batch of the fan-out.
    recipients = [f"u{i}" for i in range(1, batch + 11)]
    crash_on = {f"u{batch + 5}"}

    @world.router.schedule("coffee")
    async def coffee(ctx: WorkContext) -> None:
        ctx.fan_out("coffee.one", recipients, {})

    @world.router.schedule("coffee.one")
    async def coffee_one(ctx: WorkContext) -> None:
        ctx.post("coffee", f"coffee match for {ctx.due.recipient}")
        if ctx.due.recipient in crash_on:
            raise Crash  # after writing: that write must not survive

    await world.schedule("coffee", daily(10))
    world.clock.set(utc(2027, 1, 4, 10))
    first = world.process("a")
    assert await first.scheduler.fire_due() == 1
    with pytest.raises(Crash):
        await first.scheduler.run_due()

    # What the database holds after the crash: the firing and the batches before the crash
    # done, the whole crashed batch pending (one transaction), nothing it wrote kept.
    committed = (batch + 4) // batch * batch
    work = {w.recipient: w for w in await world.rows(DueWork)}
    assert [r for r in recipients if work[r].status == "done"] == recipients[:committed]
    assert all(work[r].status == "pending" for r in recipients[committed:])
    assert work[""].status == "done"
    assert len(await world.rows(OutboxMessage)) == committed

    # The process is gone (its connections with it); a new one starts over the same database.
    await world.db.engine.dispose()
    crash_on.clear()
    await world.process("b").settle()

    work = {w.recipient: w for w in await world.rows(DueWork)}
    assert len(work) == len(recipients) + 1 and {w.status for w in work.values()} == {"done"}
    assert {w.attempts for w in work.values()} == {0}  # a crash is not a failed attempt
    outbox = await world.rows(OutboxMessage)
    texts = sorted(m.message["text"] for m in outbox)
    assert texts == sorted(f"coffee match for {r}" for r in recipients)
    assert {m.status for m in outbox} == {"sent"}
    assert sorted(d.message.text for d in world.platform.sends) == texts
    assert len(world.platform.lines) == len(recipients)


async def test_missed_work_within_grace_runs_once_and_older_is_skipped(world: World) -> None:
    ran: list[tuple[datetime, datetime]] = []

    @world.router.schedule("tip")
    async def tip(ctx: WorkContext) -> None:
        ran.append((period_utc(ctx.due.period), ctx.now))

    schedule_id = await world.schedule("tip", daily(10))
    await world.process("a").advance(DAY)  # Jan 4 10:00 on time; now Jan 5 09:00

    # Down until Jan 5 10:30: 30 minutes late, inside the one-hour grace window.
    world.clock.set(utc(2027, 1, 5, 10, 30))
    await world.process("b").settle()
    # Down until Jan 7 10:20: Jan 6 is a day late (skipped), Jan 7 runs, once.
    world.clock.set(utc(2027, 1, 7, 10, 20))
    await world.process("c").settle()
    # Down until Jan 9 11:30: Jan 8 and Jan 9 are both older than the grace window.
    world.clock.set(utc(2027, 1, 9, 11, 30))
    await world.process("d").settle()
    assert (await world.schedule_row(schedule_id)).next_fire_at == utc(2027, 1, 10, 10)
    await world.process("e").advance(DAY)  # Jan 10 on time again

    assert ran == [
        (utc(2027, 1, 4, 10), utc(2027, 1, 4, 10)),
        (utc(2027, 1, 5, 10), utc(2027, 1, 5, 10, 30)),
        (utc(2027, 1, 7, 10), utc(2027, 1, 7, 10, 20)),
        (utc(2027, 1, 10, 10), utc(2027, 1, 10, 10)),
    ]
    assert len(await world.rows(DueWork)) == 4


async def test_failing_handler_is_retried_with_backoff_then_marked_failed(world: World) -> None:
    world.configure(outbox_max_attempts=4, outbox_backoff_seconds=2.0)
    attempts: list[datetime] = []

    @world.router.schedule("report")
    async def report(ctx: WorkContext) -> None:
        attempts.append(ctx.now)
        ctx.post("hr", "half a report")
        raise RuntimeError("the report service is down")

    await world.schedule("report", {"type": "date", "at": "2027-01-04T10:00:00+00:00"})
    await world.process().advance(DAY)

    t0 = utc(2027, 1, 4, 10)
    # Backoff doubles: 4 s, 8 s, 16 s after attempts 1, 2, 3; attempt 4 is the last.
    assert [(a - t0).total_seconds() for a in attempts] == [0, 4, 12, 28]
    [work] = await world.rows(DueWork)
    assert work.status == "failed" and work.attempts == 4
    assert work.last_error is not None and "the report service is down" in work.last_error
    assert work.done_at is None
    # Every failed attempt was rolled back: nothing half-done was written or sent.
    assert await world.rows(OutboxMessage) == []
    assert world.platform.sends == []


async def test_handler_that_recovers_runs_to_completion_once(world: World) -> None:
    failures = [ConnectionError("db of the HR system restarting")] * 2
    attempts: list[datetime] = []

    @world.router.schedule("sync")
    async def sync(ctx: WorkContext) -> None:
        attempts.append(ctx.now)
        ctx.post("hr", "synced")
        if failures:
            raise failures.pop()

    await world.schedule("sync", {"type": "date", "at": "2027-01-04T10:00:00+00:00"})
    await world.process().advance(DAY)

    assert len(attempts) == 3
    [work] = await world.rows(DueWork)
    assert (work.status, work.attempts) == ("done", 2)
    assert [m.message["text"] for m in await world.rows(OutboxMessage)] == ["synced"]
    assert len(world.platform.sends) == 1


async def test_work_of_an_unknown_kind_fails_instead_of_vanishing(world: World) -> None:
    world.configure(outbox_max_attempts=2)
    await world.schedule("nobody.handles.this", daily(10))
    await world.process().advance(DAY)
    [work] = await world.rows(DueWork)
    assert work.status == "failed"
    assert work.last_error is not None and "nobody.handles.this" in work.last_error


async def test_daily_0900_london_across_spring_forward_end_to_end(world: World) -> None:
    ran: list[tuple[datetime, datetime]] = []

    @world.router.schedule("morning")
    async def morning(ctx: WorkContext) -> None:
        ran.append((period_utc(ctx.due.period), ctx.now))
        ctx.post("general", "Good morning")

    world.clock.set(utc(2027, 3, 25))
    await world.schedule("morning", daily(9), timezone="Europe/London")
    await world.process().advance(6 * DAY)

    expected = [utc(2027, 3, d, 9) for d in (25, 26, 27)] + [
        utc(2027, 3, d, 8) for d in (28, 29, 30)
    ]
    assert ran == [(at, at) for at in expected]
    assert len(world.platform.sends) == 6
    periods = [w.period for w in await world.rows(DueWork)]
    assert periods[2].endswith("+00:00") and periods[3].endswith("+01:00")  # GMT, then BST


async def test_interval_schedule_fires_every_interval_from_when_it_was_added(
    world: World,
) -> None:
    ran: list[datetime] = []

    @world.router.schedule("heartbeat")
    async def heartbeat(ctx: WorkContext) -> None:
        ran.append(ctx.now)

    world.clock.set(utc(2027, 1, 4, 9, 17))
    await world.schedule("heartbeat", {"type": "interval", "hours": 2})
    await world.process().advance(timedelta(hours=7))
    assert ran == [utc(2027, 1, 4, h, 17) for h in (11, 13, 15)]


async def test_a_bad_trigger_is_refused_when_the_schedule_is_added(world: World) -> None:
    with pytest.raises(ValueError):
        await world.schedule("x", {"type": "cron", "hours": 9})
    assert await world.rows(Schedule) == []


async def test_a_stored_schedule_with_a_bad_trigger_is_disabled_not_fatal(world: World) -> None:
    ran: list[str] = []

    @world.router.schedule("ok")
    async def ok(ctx: WorkContext) -> None:
        ran.append(ctx.schedule.kind)

    # Written straight to the table (an old row, a hand edit): an interval without a start.
    async with world.db.session() as session:
        session.add(
            Schedule(
                workspace_id=world.workspace_id,
                kind="ok",
                trigger={"type": "interval", "hours": 1},
                next_fire_at=utc(2027, 1, 4, 10),
                created_at=START,
            )
        )
    good_id = await world.schedule("ok", daily(10))
    await world.process().advance(DAY)

    assert ran == ["ok"]  # the good schedule fired; the bad one did not stop it
    schedules = {s.id: s for s in await world.rows(Schedule)}
    assert schedules[good_id].enabled is True
    assert [s.enabled for i, s in schedules.items() if i != good_id] == [False]
    assert [w.schedule_id for w in await world.rows(DueWork)] == [good_id]


async def test_trigger_lock_excludes_replicas_but_not_other_deployments(
    world: World, backend: str
) -> None:
    if backend != "postgresql":
        pytest.skip("the trigger lock is a PostgreSQL advisory lock")
    await world.schedule("tick", daily(10))
    world.clock.set(utc(2027, 1, 4, 10))
    scheduler = Scheduler(world.process("a").bot)

    # Another deployment, in another schema of the same database, is firing right now.
    other_db, schema = await _postgres_database()
    try:
        async with other_db.engine.begin() as connection:
            await connection.run_sync(metadata().create_all)
        other = Scheduler(Bot(other_db, Router(), world.settings, world.clock))
        async with other_db.session() as session:
            assert await other._hold_trigger_lock(session)
            assert await scheduler.fire_due() == 1
    finally:
        await other_db.dispose()
        await _drop_schema(schema)

    # A replica of this deployment is firing right now: this one leaves it to that one.
    world.clock.set(utc(2027, 1, 5, 10))
    async with world.db.session() as session:
        assert await Scheduler(world.process("b").bot)._hold_trigger_lock(session)
        assert await scheduler.fire_due() == 0
    assert await scheduler.fire_due() == 1
    assert len(await world.rows(DueWork)) == 2


async def test_a_stop_ends_a_long_pass_between_units_and_leaves_the_rest_pending(
    world: World,
) -> None:
    stop = asyncio.Event()

    def third_stops(ctx: WorkContext) -> None:
        if len(handled) == 3:
            stop.set()  # a SIGTERM arriving while the third unit runs

    handled = fan_out_digest(world, 10, third_stops)

    await world.schedule("digest", daily(10))
    world.clock.set(utc(2027, 1, 4, 10))
    runtime = world.process("a")
    assert await runtime.scheduler.fire_due() == 1
    assert await runtime.scheduler.run_due(stop) == 4  # the firing, then three of its units
    statuses = [w.status for w in await world.rows(DueWork)]
    assert statuses.count("done") == 4 and statuses.count("pending") == 7
    # Another replica (or this one after a restart) finishes them.
    assert await world.process("b").scheduler.run_due() == 7
    assert sorted(handled) == sorted(f"u{i}" for i in range(1, 11))


async def test_serve_fires_a_schedule_due_before_the_next_tick(world: World) -> None:
    """The trigger loop wakes for a schedule due within its tick, not a tick later: with an
    hour's tick, a schedule due in a moment still fires in a moment."""

    @world.router.schedule("nudge")
    async def nudge(ctx: WorkContext) -> None:
        ctx.post("general", "time for the weekly check-in")

    world.configure(scheduler_tick_seconds=3600)
    clock = RealClock()
    async with world.db.session() as session:
        workspace = await session.get(Workspace, world.workspace_id)
        assert workspace is not None
        soon = {"type": "date", "at": (clock.now() + timedelta(seconds=0.3)).isoformat()}
        await add_schedule(session, workspace, "nudge", soon, now=clock.now())
    bot = Bot(world.db, world.router, world.settings, clock, {"local": world.platform})
    stop = asyncio.Event()
    serving = asyncio.create_task(Runtime(bot, "a").serve(stop))
    try:
        await until(lambda: world.platform.sends, "the schedule due in 0.3 s to fire")
    finally:
        stop.set()
        await serving
    assert [d.message.text for d in world.platform.sends] == ["time for the weekly check-in"]


@pytest.mark.parametrize("batch", [1, 20])
async def test_due_work_waits_while_the_outbox_holds_a_backlog(
    world: World, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """A fan-out to thousands does not bury the sender: while the outbox holds a backlog due
    now (here 5 messages), due work waits, and goes on once the sender has caught up."""
    monkeypatch.setattr("bot.time.scheduler.OUTBOX_BACKLOG", 5)
    world.configure(scheduler_batch_size=batch)
    recipients = [f"u{i}" for i in range(1, 31)]

    @world.router.schedule("digest")
    async def digest(ctx: WorkContext) -> None:
        ctx.fan_out("digest.one", recipients, {})

    @world.router.schedule("digest.one")
    async def digest_one(ctx: WorkContext) -> None:
        # Someone in their quiet hours gets theirs tomorrow: held messages are no backlog.
        later = ctx.now + DAY if ctx.due.recipient == "u1" else None
        ctx.outbox.add(GENERAL, text_message(f"digest for {ctx.due.recipient}"), not_before=later)

    await world.schedule("digest", daily(10))
    world.clock.set(utc(2027, 1, 4, 10))
    runtime = world.process("a")
    await runtime.scheduler.fire_due()
    # The firing, then batches of its units until 5 messages are due; then nothing.
    ran = await runtime.scheduler.run_due()
    assert ran == 1 + batch * math.ceil(6 / batch)
    assert await runtime.scheduler.run_due() == 0
    assert [w.status for w in await world.rows(DueWork)].count("pending") == 31 - ran

    while await runtime.sender.drain() != SendReport():
        await runtime.scheduler.run_due()
    assert {w.status for w in await world.rows(DueWork)} == {"done"}
    assert len(world.platform.sends) == 29

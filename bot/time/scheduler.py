"""Schedules live in our tables; a firing becomes durable due-work rows that any replica runs.

`fire_due` turns every schedule whose time has come into a due-work row keyed by (schedule,
period, recipient): a unique key, so no period ever runs twice, whoever fires it. `run_due`
claims pending rows a batch at a time and runs each in the same transaction that marks it
done, so a crash part-way leaves the batch pending and it runs once after the restart.
"""

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.app import Bot
from bot.contract.context import WorkContext
from bot.delivery.outbox import OutboxWriter
from bot.kit.i18n import speaking
from bot.models import DueWork, OutboxMessage, Schedule, Workspace
from bot.store.db_upsert import insert_ignore
from bot.time.trigger_lock import TRY_TRANSACTION_LOCK
from bot.time.triggers import anchored, catch_up, first_fire, make_trigger

log = logging.getLogger(__name__)
# Messages due in the outbox at which due work pauses: 20 s of sending at 50 a second.
OUTBOX_BACKLOG = 1000


async def add_schedule(
    session: AsyncSession,
    workspace: Workspace,
    kind: str,
    trigger: dict[str, Any],
    *,
    now: datetime,
    timezone: str = "UTC",
    name: str = "",
    payload: dict[str, Any] | None = None,
) -> Schedule:
    trigger = anchored(trigger, now)
    first = first_fire(make_trigger(trigger, timezone), now)
    assert workspace.id is not None
    schedule = Schedule(
        workspace_id=workspace.id,
        kind=kind,
        name=name,
        trigger=trigger,
        timezone=timezone,
        payload=payload or {},
        next_fire_at=first,
        enabled=first is not None,
        created_at=now,
    )
    session.add(schedule)
    await session.flush()
    return schedule


class Scheduler:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @property
    def grace(self) -> timedelta:
        return timedelta(seconds=self.bot.settings.scheduler_grace_seconds)

    async def fire_due(self, *, owner: bool = False) -> int:
        """Turn every schedule that is due into due work; return how many periods fired.

        `owner`: the caller holds the trigger lock (a serving replica, see TriggerLock);
        otherwise this firing takes the same lock for its transaction only, or fires nothing.
        """
        now = self.bot.clock.now()
        fired = 0
        async with self.bot.db.session() as session:
            if not owner and not await self._hold_trigger_lock(session):
                return 0
            due = await session.exec(
                select(Schedule)
                .where(col(Schedule.enabled), col(Schedule.next_fire_at) <= now)
                .with_for_update(skip_locked=True)
            )
            for schedule in due.all():
                fired += await self._fire(session, schedule, now)
        return fired

    async def _hold_trigger_lock(self, session: AsyncSession) -> bool:
        if not self.bot.db.is_postgres:
            return True
        held = await session.exec(text(TRY_TRANSACTION_LOCK))  # type: ignore[call-overload]
        return bool(held.scalar())

    async def _fire(self, session: AsyncSession, schedule: Schedule, now: datetime) -> int:
        assert schedule.next_fire_at is not None
        try:
            trigger = make_trigger(schedule.trigger, schedule.timezone)
        except ValueError:
            # One bad row (not written through add_schedule) must not stop every schedule.
            log.exception("schedule %s has a bad trigger; disabled", schedule.id)
            schedule.enabled = False
            return 0
        period, upcoming = catch_up(trigger, schedule.next_fire_at, now, self.grace)
        schedule.next_fire_at = upcoming
        schedule.enabled = upcoming is not None
        if period is None:
            log.warning("schedule %s missed its time beyond the grace window", schedule.id)
            return 0
        schedule.last_period = period.isoformat()
        row = {
            "schedule_id": schedule.id,
            "period": period.isoformat(),
            "recipient": "",
            "kind": schedule.kind,
            "payload": schedule.payload,
            "run_at": now,
        }
        return await insert_ignore(session, DueWork, [row])

    async def run_due(self, stop: asyncio.Event | None = None) -> int:
        """Run pending due work, oldest first, until none is left that is due now, until
        `stop` is set (checked between units: a shutdown does not wait for a fan-out to
        thousands, and the units left stay pending for any replica), or while the outbox
        holds OUTBOX_BACKLOG messages due now (the units wait until the sender catches up).

        Units are claimed SCHEDULER_BATCH_SIZE at a time with FOR UPDATE SKIP LOCKED:
        replicas running due work at the same time take different units instead of queueing
        behind one another's locks.
        """
        ran = 0
        while not _stopped(stop):
            done = await self._run_batch(stop)
            if not done:
                break
            ran += done
        return ran

    async def _backlogged(self, session: AsyncSession, now: datetime) -> bool:
        """Whether the outbox already holds a backlog due now, for the platforms this
        replica sends to: more due work would only make the sender wait for its turns."""
        waiting = await session.exec(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == "pending",
                col(OutboxMessage.next_attempt_at) <= now,
                col(OutboxMessage.platform).in_(list(self.bot.platforms)),
            )
            .limit(1)
            .offset(OUTBOX_BACKLOG - 1)
        )
        return waiting.first() is not None

    async def _run_batch(self, stop: asyncio.Event | None) -> int:
        """Claim up to SCHEDULER_BATCH_SIZE due units and run them in one transaction, each in
        a savepoint of its own (a failing unit is rolled back alone and retried later); a
        crash leaves the whole batch pending, to run once after the restart. How many ran.

        Larger batches cost fewer transactions and lookups per unit (the schedule, workspace
        and survey are read once a batch): on PostgreSQL a fan-out ran 1.6x faster with 20
        (benchmarks/README.md)."""
        now = self.bot.clock.now()
        ran, wrote = 0, False
        async with self.bot.db.session() as session:
            if await self._backlogged(session, now):
                return 0
            due = await session.exec(
                select(DueWork)
                .where(DueWork.status == "pending", col(DueWork.run_at) <= now)
                .order_by(col(DueWork.run_at), col(DueWork.id))
                .limit(self.bot.settings.scheduler_batch_size)
                .with_for_update(skip_locked=True)
            )
            for unit in due.all():
                if ran and _stopped(stop):
                    break  # the rest are unlocked at commit, still pending
                wrote |= await self._run_one(session, unit, now)
                ran += 1
        if wrote:
            self.bot.outbox_ready.set()
        return ran

    async def _run_one(self, session: AsyncSession, due: DueWork, now: datetime) -> bool:
        """Run one unit in the batch's transaction; whether it wrote to the outbox."""
        schedule = await session.get(Schedule, due.schedule_id)
        assert schedule is not None
        workspace = await session.get(Workspace, schedule.workspace_id)
        assert workspace is not None
        ctx = WorkContext(
            self.bot,
            session,
            workspace,
            OutboxWriter(session, workspace, f"work:{due.id}", now),
            now,
            schedule=schedule,
            due=due,
        )
        # Scheduled work speaks to the workspace until it writes to someone in particular.
        with speaking(ctx.workspace_language):
            handled = await self._handle(ctx)
        if handled:
            await self._spawn_children(session, due, ctx.children)
            due.status, due.done_at = "done", now
        return bool(ctx.outbox.keys)

    async def _handle(self, ctx: WorkContext) -> bool:
        due = ctx.due
        handler = self.bot.router.schedules.get(due.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler registered for schedule kind {due.kind!r}")
            async with ctx.session.begin_nested():
                await handler(ctx)
        except Exception as failure:
            log.exception("due work %s (%s) failed", due.id, due.kind)
            ctx.outbox.drop_from(0)
            ctx.children.clear()
            due.attempts += 1
            due.last_error = repr(failure)[:1000]
            backoff = timedelta(seconds=self.bot.settings.outbox_backoff_seconds * 2**due.attempts)
            if due.attempts >= self.bot.settings.outbox_max_attempts:
                due.status = "failed"
            due.run_at = ctx.now + backoff
            return False
        return True

    async def _spawn_children(
        self, session: AsyncSession, due: DueWork, children: list[dict[str, Any]]
    ) -> None:
        rows = [
            {
                "schedule_id": due.schedule_id,
                "period": due.period,
                "recipient": child["recipient"],
                "kind": child["kind"],
                "payload": child["payload"],
                "run_at": child["run_at"],
            }
            for child in children
        ]
        for start in range(0, len(rows), 500):
            await insert_ignore(session, DueWork, rows[start : start + 500])

    async def next_fire_at(self) -> datetime | None:
        """When the next enabled schedule is due to fire."""
        async with self.bot.db.session() as session:
            found = await session.exec(
                select(Schedule.next_fire_at)
                .where(col(Schedule.enabled), col(Schedule.next_fire_at).is_not(None))
                .order_by(col(Schedule.next_fire_at))
                .limit(1)
            )
            return found.first()

    async def next_due_at(self) -> datetime | None:
        """The earliest moment anything scheduled needs attention (for the virtual clock)."""
        async with self.bot.db.session() as session:
            schedule = await session.exec(
                select(Schedule.next_fire_at)
                .where(col(Schedule.enabled), col(Schedule.next_fire_at).is_not(None))
                .order_by(col(Schedule.next_fire_at))
                .limit(1)
            )
            work = await session.exec(
                select(DueWork.run_at)
                .where(DueWork.status == "pending")
                .order_by(col(DueWork.run_at))
                .limit(1)
            )
            times = [t for t in (schedule.first(), work.first()) if t is not None]
        return min(times, default=None)


def _stopped(stop: asyncio.Event | None) -> bool:
    return stop is not None and stop.is_set()

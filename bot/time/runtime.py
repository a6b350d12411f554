"""Everything that runs besides request handling: firing schedules, running due work, sending.

`settle` does all that is due now; `advance` moves a virtual clock forward stopping at every
moment something is due, so a week of schedules plays out in order in a test or the shell;
`serve` runs the same loops against the real clock.

The daily retention pass runs at the start of `settle` once its day has come: on a virtual
clock, whatever runs at a stop finds the data as the daily pass would have left it. The clock
does not stop for the pass alone: nothing can look at the data between two stops, and a stop a
day would make `advance 400d` take half a minute.
"""

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from pydantic import TypeAdapter
from sqlmodel import col, select

from bot.contract.app import Bot
from bot.contract.events import AnyEvent
from bot.delivery.intake import EVENT_KIND, Intake
from bot.delivery.outbox import Sender
from bot.models import OutboxMessage
from bot.store.retention import RetentionJob
from bot.time.clock import VirtualClock
from bot.time.scheduler import Scheduler
from bot.time.trigger_lock import TriggerLock

log = logging.getLogger(__name__)
RETRY_SOON_SECONDS = 0.05
_EVENTS: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


class Runtime:
    def __init__(self, bot: Bot, replica: str, intake: Intake | None = None) -> None:
        """`intake`: one opened before the bot was built (`rapport run` opens it before the
        features load); a new one on the bot's database if None."""
        self.bot = bot
        self.replica = replica
        self.scheduler = Scheduler(bot)
        self.trigger_lock = TriggerLock(bot.db, replica)
        self._work_ready = asyncio.Event()
        self._next_fire: datetime | None = None
        self.sender = Sender(bot.db, bot.platforms, bot.clock, bot.settings, replica)
        self.retention = RetentionJob(bot.db, bot.settings, bot.clock, bot.router.features)
        self.intake = intake or Intake(bot.db, bot.clock, bot.settings, replica)
        # Set once the loops of `serve` have started: the replica's readiness (/readyz).
        self.serving = asyncio.Event()
        self.intake.register(EVENT_KIND, self._dispatch)

    async def _dispatch(self, payload: dict[str, object]) -> None:
        await self.bot.dispatch(_EVENTS.validate_python(payload))

    async def settle(self) -> None:
        """The retention pass if its day has come; then fire, run and send everything due
        now, until nothing more is."""
        await self.retention.run_if_due()
        while True:
            fired = await self.scheduler.fire_due()
            ran = await self.scheduler.run_due()
            report = await self.sender.drain()
            if not (fired or ran or report.sent or report.dead):
                return

    async def advance(self, delta: timedelta) -> None:
        clock = self.bot.clock
        if not isinstance(clock, VirtualClock):
            raise TypeError("only a virtual clock can be advanced")
        target = clock.now() + delta
        await self.settle()
        while (upcoming := await self.next_due_at()) is not None and upcoming <= target:
            clock.set(max(upcoming, clock.now()))
            await self.settle()
        clock.set(target)
        await self.settle()

    async def next_due_at(self) -> datetime | None:
        async with self.bot.db.session() as session:
            outbox = (
                await session.exec(
                    select(OutboxMessage.next_attempt_at)
                    .where(OutboxMessage.status == "pending")
                    .order_by(col(OutboxMessage.next_attempt_at))
                    .limit(1)
                )
            ).first()
            leased = (
                await session.exec(
                    select(OutboxMessage.claimed_at)
                    .where(OutboxMessage.status == "sending")
                    .order_by(col(OutboxMessage.claimed_at))
                    .limit(1)
                )
            ).first()
        # A claim left by a crashed sender is sent again when its lease runs out.
        lease = timedelta(seconds=self.bot.settings.outbox_lease_seconds)
        reclaim = leased + lease if leased is not None else None
        scheduled = await self.scheduler.next_due_at()
        times = [t for t in (outbox, reclaim, scheduled) if t is not None]
        now = self.bot.clock.now()
        # Something stuck in the past (a platform we cannot reach) must not stall the clock.
        return min((t for t in times if t > now), default=None)

    async def serve(self, stop: asyncio.Event) -> None:
        """Fire triggers (if this replica owns them), run due work, send, and work off inbound
        events other replicas left, until `stop`.

        Inbound events reach the database before their platform gets its acknowledgement
        (bot/delivery/intake.py): those this process stored are handled at once by its intake
        workers; the intake loop renews their leases and takes over, when a lease runs out, the
        events of a replica that died. Platforms do not send again what they were
        acknowledged, so that is what makes an acknowledged event survive a kill -9, once:
        a second run of an event already handled is recognised by Bot.dispatch.

        Four loops, so that a long pass of one (due work for a fan-out to thousands) delays
        neither the others nor a takeover of the triggers. They stop between passes (due work
        between units) rather than by cancellation: a pass cancelled mid-query can leave a
        database connection open, and SQLite's connection threads then keep the process from
        exiting. A front (`run_role`) runs only the intake loop, which renews the leases of
        what it works off itself and claims nothing.
        """
        settings = self.bot.settings
        tick, poll = settings.scheduler_tick_seconds, settings.outbox_poll_seconds
        try:
            async with asyncio.TaskGroup() as group:
                if settings.run_role != "front":
                    group.create_task(_repeat(self._fire, stop, self._until_next_fire, "trigger"))
                    run_due = functools.partial(self._run_due, stop)
                    group.create_task(_repeat(run_due, stop, tick, "scheduler", self._work_ready))
                    group.create_task(
                        _repeat(self.sender.drain, stop, poll, "outbox", self.bot.outbox_ready)
                    )
                sweep = self.intake.sweep
                group.create_task(_repeat(sweep, stop, self.intake.sweep_seconds, "intake"))
                self.serving.set()
        finally:
            self.serving.clear()
            await self.trigger_lock.release()

    async def _fire(self) -> None:
        """Only the trigger lock's owner fires schedules; the others try for the lock. The
        owner then notes when the next schedule is due, to wake for it on time."""
        self._next_fire = None
        if not await self.trigger_lock.hold():
            return
        if await self.scheduler.fire_due(owner=True):
            self._work_ready.set()
        self._next_fire = await self.scheduler.next_fire_at()

    def _until_next_fire(self) -> float:
        """Seconds to the next pass of the trigger loop: a tick, or less when a schedule is
        due before the tick ends (a survey due at 10:00 goes out at 10:00, not up to a tick
        later)."""
        tick = self.bot.settings.scheduler_tick_seconds
        if self._next_fire is None:
            return tick
        until = (self._next_fire - self.bot.clock.now()).total_seconds()
        # Due already but not fired (its row was locked by another transaction): soon again.
        return min(max(until, RETRY_SOON_SECONDS), tick)

    async def _run_due(self, stop: asyncio.Event) -> None:
        """Every replica runs due work (each unit claimed by one) and the retention sweep."""
        await self.scheduler.run_due(stop)
        await self.retention.run_if_due()


async def _repeat(
    one_pass: Callable[[], Awaitable[object]],
    stop: asyncio.Event,
    every: float | Callable[[], float],
    name: str,
    wake: asyncio.Event | None = None,
) -> None:
    """`one_pass` until `stop`, again every `every` seconds (or as many as it says after each
    pass) or as soon as `wake` is set; a failed pass is logged and tried again on the next."""
    while not stop.is_set():
        if wake is not None:
            wake.clear()
        try:
            await one_pass()
        except Exception:
            log.exception("%s pass failed; retrying", name)
        wait = every() if callable(every) else every
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_first(stop, *([wake] if wake else [])), wait)


async def _first(*events: asyncio.Event) -> None:
    """Until any of `events` is set."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()

"""Durable intake: an inbound event is stored before the platform gets its acknowledgement.

A platform does not send again what it was acknowledged: an event held only in memory after
the ack is lost when the process dies. So an adapter stores each delivery first (`accept`,
deduplicated by the platform's own id) and acknowledges once it has committed; many arriving
together share one insert and one commit (group_commit.py), which keeps the ack fast.

The stored row is leased to this process and handed straight to a bounded pool of workers
(the fast path). The runtime's sweep (`sweep`) renews the leases this process holds (every
third of the lease) and claims rows whose lease ran out (their replica died) or whose retry
is due, in any replica.
A row is deleted once handled, again in groups; a row that failed `intake_max_attempts` times
is left dead for retention to purge.

A front (`run_role` front) stores rows held by nobody and works off only those whose answer
to the platform depends on the outcome; workers claim the rest on their sweep, every
`intake_pickup_seconds`. The acks then no longer wait behind the work for the one event
loop and the one interpreter lock a process has (docs/operations/replicas.md).

Exactly once: a row handled and then killed before its delete is handled again, and
Bot.dispatch recognises the event by (platform, event id) in processed_event, inside the
transaction of its effects: the second run changes nothing.

On SQLite the rows live in a file of their own beside the database (`intake_database`).
SQLite writes one transaction at a time per file: in the bot's own file, every ack would
wait for the transaction of the work under way (a dispatch batch, a platform lookup inside
it), and every insert and delete would take the writer from that work.
"""

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from bot.contract.group_commit import GroupCommit
from bot.observe import metrics
from bot.store.db import Database
from bot.store.intake_store import (
    Claim,
    Held,
    IntakeStore,
    backlog,
    create_table,
    delete_rows,
    forget_waiting,
    give_back,
    insert_rows,
    intake_database,
    intake_url,
    retry_row,
)
from bot.time.clock import Clock
from bot.wiring.config import Settings

if TYPE_CHECKING:
    # Only for the annotation: the events' models load with the adapters that build them,
    # after `rapport run` has opened its port with the intake (bot/wiring/serve.py).
    from bot.contract.events import AnyEvent

log = logging.getLogger(__name__)

# Rows of this kind hold a neutral event (bot/contract/events.py), handled by Bot.dispatch as it is.
EVENT_KIND = "event"

Key = tuple[str, str]
Work = Callable[[dict[str, Any]], Awaitable[None]]
# Rows a replica's sweep takes on beyond what its workers are busy with, per worker.
CLAIM_DEPTH = 4
# Rows inserted in one statement at most.
GROUP_LIMIT = 500
# Rows claimed, or deleted, in one statement at most: on SQLite each holds the intake file's
# write lock while it runs, and the fronts' inserts, their acks, wait behind it.
STATEMENT_ROWS = 32
# Inbound events handled at once unless INTAKE_CONCURRENCY says: in a process that answers
# the platforms the handlers share its event loop with the acks; a worker has none to keep
# waiting, and on SQLite 32 fill a dispatch batch (bot/contract/app.py), one transaction.
SERVING_CONCURRENCY = 8
WORKER_CONCURRENCY = 32
# A worker sweeps 20 times a second: renewing its leases each time took the intake file's
# write lock from the fronts for nothing. Renewed this many times a lease, a held row is
# safe while a sweep is late by up to two thirds of the lease.
RENEWALS_PER_LEASE = 3
# How long close() lets the work under way finish before cancelling it.
CLOSE_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class Arrival:
    """One delivery as it came: `kind` names the worker for `payload`; `workspace` and
    `actor` are platform ids, for erasure to find a person's waiting rows."""

    platform: str
    event_id: str
    kind: str
    payload: dict[str, Any]
    workspace: str = ""
    actor: str = ""


def event_arrival(event: "AnyEvent") -> Arrival:
    """A neutral event as an arrival, for adapters that read the platform's payload whole
    before the acknowledgement."""
    return Arrival(
        event.platform,
        event.event_id,
        EVENT_KIND,
        event.model_dump(mode="json"),
        workspace=event.workspace,
        actor=event.actor.id,
    )


class Intake:
    def __init__(self, db: Database, clock: Clock, settings: Settings, replica: str) -> None:
        """`db` is the bot's database; the rows go to `intake_database(db)`."""
        self.db, self.clock, self.settings = intake_database(db), clock, settings
        self._own_db = self.db is not db
        self._store = IntakeStore(self.db)
        # Unique to this process: a restart under the same replica id must not take the
        # leases of its dead predecessor for its own (it would renew them for ever).
        self.owner = f"{replica[:90]}/{secrets.token_hex(4)}"
        self._work: dict[str, Work] = {}
        self._queue: asyncio.Queue[Held] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self._held = 0
        self._finishing: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Condition()
        self._closed = False
        self._hands_off = settings.run_role == "front"
        self._renewed: datetime | None = None
        self._inserts = GroupCommit(self._insert, limit=GROUP_LIMIT, lanes=1)
        self._deletes = GroupCommit(self._delete, limit=STATEMENT_ROWS, lanes=1)
        self.concurrency = settings.intake_concurrency or (
            WORKER_CONCURRENCY if settings.run_role == "worker" else SERVING_CONCURRENCY
        )

    def register(self, kind: str, work: Work) -> None:
        """`work` handles the payloads of `kind`; raising leaves the row for a retry."""
        self._work[kind] = work

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.intake_lease_seconds)

    @property
    def sweep_seconds(self) -> float:
        """How often `sweep` runs: a worker takes what the fronts store as it comes, the
        others look only for what a dead replica left or a retry that is due."""
        if self.settings.run_role == "worker":
            return self.settings.intake_pickup_seconds
        return self.settings.intake_poll_seconds

    async def accept(self, arrival: Arrival) -> bool:
        """Store `arrival` and hand it to the workers; False for a delivery already stored
        (a platform retry), which is left to the copy already waiting."""
        if self._hands_off:
            return await self._inserts.submit(_Storing(arrival, leased=False)) is not None
        held = await self.store(arrival)
        if held is None:
            return False
        self._enqueue(held)
        return True

    async def store(self, arrival: Arrival) -> Held | None:
        """Store `arrival`, leased to this process, for the caller to handle (`run`) when
        the answer to the platform depends on the outcome; None for a duplicate."""
        return await self._inserts.submit(_Storing(arrival, leased=True))

    async def run(self, held: Held, work: Work | None = None) -> None:
        """Handle a held row now, in the caller's task, by `work` (else its kind's worker),
        which may pass the outcome on to the caller; deleted soon after if it went through,
        else left for a retry by its kind's worker."""
        self._held += 1
        try:
            done = await self._work_off(held, work)
        except BaseException:
            await self._release_one()
            raise
        self._after(held, done)

    async def sweep(self) -> int:
        """Renew this process's leases once a part of the lease has passed since they were
        last renewed, then claim rows whose lease ran out or whose retry is due, as many as
        the workers have room for; how many were claimed."""
        now = self.clock.now()
        renew = self._renewed is None or now - self._renewed >= self.lease / RENEWALS_PER_LEASE
        room = min(STATEMENT_ROWS, CLAIM_DEPTH * self.concurrency - self._held)
        claim = Claim(
            self.owner,
            now,
            now + self.lease,
            0 if self._closed or self._hands_off else room,
            self.settings.intake_max_attempts,
            self._store.is_postgres,
            renew,
        )
        rows = await self._store.run(claim, each_alone=True)
        if renew:
            self._renewed = now
        for held in rows:
            self._enqueue(held)
        return len(rows)

    async def open(self) -> None:
        """Until the intake can store: its database answers and its table is there (in a
        SQLite file of its own, made now)."""
        await self._store.run(_nothing)

    async def backlog(self) -> tuple[int, int]:
        """Stored events waiting to be handled (by any replica), and those left dead."""
        return await self._store.run(partial(backlog, self.settings.intake_max_attempts))

    async def idle(self) -> None:
        """Until every row this process holds has been worked off."""
        async with self._idle:
            await self._idle.wait_for(lambda: self._held == 0)

    async def close(self) -> None:
        """Let the work under way finish (for a while), then give back the leases of rows
        still waiting here, so that another replica, or the next start, takes them at once."""
        if self._closed:
            return
        self._closed = True
        if self._workers:
            with_grace = asyncio.wait_for(self.idle(), CLOSE_GRACE_SECONDS)
            try:
                await with_grace
            except TimeoutError:
                log.warning("intake: %d inbound events left to the next replica", self._held)
            for worker in self._workers:
                worker.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
        await self._store.run(partial(give_back, self.owner), each_alone=True)
        await self._store.close()
        if self._own_db:
            await self.db.dispose()

    def _enqueue(self, held: Held) -> None:
        if not self._workers and not self._closed:
            self._workers = [asyncio.create_task(self._worker()) for _ in range(self.concurrency)]
        self._held += 1
        self._queue.put_nowait(held)

    async def _worker(self) -> None:
        while True:
            held = await self._queue.get()
            try:
                done = await self._work_off(held)
            except BaseException:
                await self._release_one()
                raise
            self._after(held, done)

    def _after(self, held: Held, done: bool) -> None:
        """A handled row is deleted in the background, with others handled meanwhile: the
        worker goes on to the next event, and one killed before the delete commits is
        handled again to no effect (see above). It still counts as held until then."""
        finisher = asyncio.create_task(self._finish(held.id if done else None))
        self._finishing.add(finisher)
        finisher.add_done_callback(self._finishing.discard)

    async def _finish(self, row_id: int | None) -> None:
        try:
            if row_id is not None:
                await self._deletes.submit(row_id)
        except Exception:
            log.exception("inbound event %d handled but not deleted", row_id)
        finally:
            await self._release_one()

    async def _release_one(self) -> None:
        async with self._idle:
            self._held -= 1
            self._idle.notify_all()

    async def _work_off(self, held: Held, work: Work | None = None) -> bool:
        """Whether `held` went through; if not, it is given back for a retry."""
        work = work or self._work.get(held.kind)
        try:
            if work is None:
                raise LookupError(f"no worker for inbound events of kind {held.kind!r}")
            await work(held.payload)
        except Exception:
            log.exception("inbound event %d failed (attempt %d)", held.id, held.attempts)
            metrics.INTAKE_RETRIES.labels(held.kind).inc()
            await self._retry_later(held)
            return False
        return True

    async def _retry_later(self, held: Held) -> None:
        """Give the row back with a wait that doubles with each failure; past the last
        attempt nobody claims it again (dead: kept for retention, never handled)."""
        if held.attempts >= self.settings.intake_max_attempts:
            log.error("inbound event %d left dead after %d attempts", held.id, held.attempts)
        backoff = self.settings.intake_backoff_seconds * 2 ** (held.attempts - 1)
        retry_at = self.clock.now() + timedelta(seconds=backoff)
        await self._store.run(partial(retry_row, held.id, retry_at), each_alone=True)

    async def _insert(self, group: list["_Storing"]) -> list[Held | BaseException | None]:
        """One insert for a group; for each arrival its held row, None if already stored. A
        row left for the workers is held by nobody and not tried yet: a claim counts a try."""
        now = self.clock.now()
        firsts: dict[tuple[str, str], dict[str, Any]] = {}
        for arrival, leased in group:
            firsts.setdefault(
                (arrival.platform, arrival.event_id),
                {
                    "platform": arrival.platform,
                    "event_id": arrival.event_id,
                    "kind": arrival.kind,
                    "workspace": arrival.workspace[:255],
                    "actor": arrival.actor[:255],
                    "payload": arrival.payload,
                    "received_on": now.date(),
                    "attempts": 1 if leased else 0,
                    "lease_owner": self.owner if leased else None,
                    "lease_until": now + self.lease if leased else None,
                },
            )
        rows = list(firsts.values())
        stored = await self._store.run(partial(insert_rows, rows, self._store.is_postgres))
        results: list[Held | BaseException | None] = []
        for arrival, _ in group:
            row_id = stored.pop((arrival.platform, arrival.event_id), None)
            metrics.count_arrival(arrival.platform, arrival.kind, stored=row_id is not None)
            results.append(
                None if row_id is None else Held(row_id, arrival.kind, arrival.payload, 1)
            )
        return results

    async def _delete(self, ids: list[int]) -> list[BaseException | None]:
        await self._store.run(partial(delete_rows, ids), each_alone=True)
        return [None] * len(ids)


class _Storing(NamedTuple):
    """An arrival to store, `leased` to this process or left for any worker."""

    arrival: Arrival
    leased: bool


def _nothing(connection: object) -> None:
    """A statement that only opens and commits a transaction."""


__all__ = [
    "EVENT_KIND",
    "Arrival",
    "Held",
    "Intake",
    "create_table",
    "event_arrival",
    "forget_waiting",
    "intake_database",
    "intake_url",
]

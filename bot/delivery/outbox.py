"""Transactional outbox: messages are rows committed with the change that caused them.

A Sender drains the rows through the platform adapters. A row is claimed (status `sending`)
in one short transaction, sent, then marked `sent` in another, shared with the outcomes of
the other sends finished meanwhile (bot.delivery.outbox_outcomes); a sender that dies in between
leaves a claim whose lease expires, and the row is sent again, with the same key, so a
platform that deduplicates by key (and the local platform) shows it once.

A batch is sent in lanes, one per conversation (bot.delivery.outbox_lanes), up to
`outbox_concurrency` at once: the waits for the platform overlap, while each conversation's
messages, and an edit or reply after its original, still go out one after another.

The claims of a batch stay valid however long it takes to send (bot.delivery.outbox_lease): a slow
platform does not let another replica take over, and send again, rows still being worked on.

Sends keep to each platform's known limits (bot.delivery.pacing), so that 429s are the exception.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.contract.group_commit import GroupCommit
from bot.contract.platform import (
    Delivery,
    InstantSends,
    PermanentFailure,
    Platform,
    RateBuckets,
    RateLimited,
)
from bot.contract.ui import Destination, Message
from bot.delivery import outbox_lanes, outbox_outcomes, outbox_rows, rate_pauses
from bot.delivery.outbox_lease import Lease
from bot.delivery.outbox_outcomes import SendOutcome
from bot.delivery.pacing import PacedSends, Pacer
from bot.kit.core_catalog import _
from bot.kit.i18n import format_number
from bot.models import OutboxMessage, Workspace
from bot.models.outbox import OutboxStatus
from bot.observe import log_context, metrics
from bot.store.day_only import day_start
from bot.store.db import Database
from bot.time.clock import Clock
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

# Files travel inside the row (base64 in JSON) and Discord caps a bot's upload at 10 MiB in
# most servers: below that every platform takes them, and a row stays a reasonable size.
ATTACHMENT_LIMIT_BYTES = 8 * 1024 * 1024
# Keys of rows deleted once sent: the last word to someone whose data was just erased.
FORGET_WHEN_SENT = "forget:"
# Outcomes recorded in one transaction at most (bot.delivery.outbox_outcomes).
OUTCOME_GROUP = 200


@dataclass
class OutboxWriter:
    """Adds messages to the caller's transaction under keys derived from one stable prefix."""

    session: AsyncSession
    workspace: Workspace
    key_prefix: str
    now: datetime
    keys: list[str] = field(default_factory=list)

    def add(
        self,
        destination: Destination,
        message: Message,
        *,
        update_of: str | None = None,
        forget_when_sent: bool = False,
        not_before: datetime | None = None,
    ) -> str:
        """Queue a message; `not_before` holds it back, e.g. until someone's quiet hours end.

        `forget_when_sent` rows are deleted once sent, and until then keep only the day they
        were written: they must not date what the person just did (e.g. answer a survey).
        """
        _check_attachments(message)
        key = f"{self.key_prefix}:{len(self.keys)}"
        written = self.now
        if forget_when_sent:
            key, written = FORGET_WHEN_SENT + key, day_start(self.now)
        assert self.workspace.id is not None
        outbox_rows.queue(
            self.session,
            {
                "key": key,
                "workspace_id": self.workspace.id,
                "platform": self.workspace.platform,
                "destination": destination.model_dump(),
                "message": message.model_dump(mode="json"),
                "update_of": update_of,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": max(not_before or written, written),
                "created_at": written,
            },
        )
        self.keys.append(key)
        return key

    def drop_from(self, mark: int) -> None:
        """Take back the messages queued since `mark` (a count of keys): their handler failed."""
        outbox_rows.drop(self.session, self.keys[mark:])
        del self.keys[mark:]


def logged(key: str) -> str:
    """A key as logs show it: a forget-when-sent key names the event that wrote it, whose time
    (the log line's) would date what the person did, e.g. answer a survey."""
    return "(a message forgotten once sent)" if key.startswith(FORGET_WHEN_SENT) else key


def _check_attachments(message: Message) -> None:
    size = sum(len(attachment.data) for attachment in message.attachments)
    if size > ATTACHMENT_LIMIT_BYTES:
        raise UserError(
            _("That file is too big to send here ({size} MB; the limit is {limit} MB).").format(
                size=format_number(size / 2**20, decimals=1),
                limit=format_number(ATTACHMENT_LIMIT_BYTES / 2**20, decimals=0),
            )
        )


@dataclass(frozen=True)
class Claimed:
    """A row leased to this sender, with everything needed to send it."""

    row_id: int
    platform: str
    attempts: int
    delivery: Delivery
    claimed_at: datetime
    edits_in_batch: str | None = None


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0


@dataclass
class _Progress:
    """What the lanes of one batch share: its lease, the ids of rows sent so far (edits of
    them later in the batch point at these) and the rows handed back at the end of the batch."""

    report: SendReport
    lease: Lease
    sent: dict[str, str | None] = field(default_factory=dict)
    waiting: list[tuple[Claimed, datetime]] = field(default_factory=list)


class Sender:
    def __init__(
        self,
        db: Database,
        platforms: Mapping[str, Platform],
        clock: Clock,
        settings: Settings,
        replica: str,
    ) -> None:
        self.db = db
        self.platforms = platforms
        self.clock = clock
        self.settings = settings
        self.replica = replica
        # (platform, bucket) -> end of its pause; bucket "" pauses the whole platform.
        self._paused_until: dict[tuple[str, str], datetime] = {}
        self._pacer = Pacer()
        self._outcomes = GroupCommit(self._record, limit=OUTCOME_GROUP, lanes=1)

    async def drain(self, limit: int = 100) -> SendReport:
        """Send every row that is due now, batch by batch, until none is left."""
        report = SendReport()
        while True:
            batch = await self.claim(limit)
            if not batch:
                return report
            progress = _Progress(report, self._lease(batch))
            lanes = _lanes(batch, self.settings.outbox_concurrency, self.platforms)
            stop = asyncio.Event()
            heartbeat = asyncio.create_task(progress.lease.keep_renewed(stop))
            try:
                await self._send_lanes(lanes, progress)
            finally:
                stop.set()  # not cancelled: a renewal under way finishes its transaction
                await heartbeat
            await self._release(progress.waiting)

    def _lease(self, batch: list["Claimed"]) -> Lease:
        seconds = self.settings.outbox_lease_seconds
        rows = [claimed.row_id for claimed in batch]
        return Lease(self.db, self.clock, self.replica, seconds, rows, batch[0].claimed_at)

    async def _send_lanes(self, lanes: list[list["Claimed"]], progress: "_Progress") -> None:
        """Send the lanes, up to `outbox_concurrency` at once, each taken in turn by the first
        free worker; a lane's rows go one after another. Each send records its outcome in a
        session of its own, so on SQLite the workers queue for their turn (bot.store.sqlite_turn)
        and none of them ever waits inside another's transaction.
        """
        queue = deque(lanes)

        async def worker() -> None:
            while queue:
                await self._send_lane(queue.popleft(), progress)

        workers = min(self.settings.outbox_concurrency, len(lanes))
        if workers == 1:
            await worker()  # in this task, exactly as a sequential sender would
            return
        # No worker is cancelled when another fails: a send in flight is seen through and
        # recorded. The first failure is raised once all have stopped, as a sequential
        # sender would have raised it; the rest of a failed lane stays leased.
        outcomes = await asyncio.gather(*(worker() for _ in range(workers)), return_exceptions=True)
        failures = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
        for failure in failures[1:]:
            log.error("outbox lane failed as well", exc_info=failure)
        if failures:
            raise failures[0]

    async def _send_lane(self, lane: list["Claimed"], progress: "_Progress") -> None:
        held_until: datetime | None = None  # the lane's order outlasts a wait for the pacer
        for claimed in lane:
            ready = _with_edit_target(claimed, progress.sent)
            # Checked row by row: a 429 met by another lane holds this one back too.
            paused = held_until or self._paused_for(claimed, ready or claimed.delivery)
            if ready is None or paused is not None:
                progress.waiting.append((claimed, paused or self.clock.now()))
            elif (held_until := await self._paced(claimed, ready)) is not None:
                progress.waiting.append((claimed, held_until))
            elif not await progress.lease.holds(claimed.row_id):
                log.warning(
                    "outbox %s: claim taken over by another replica", logged(claimed.delivery.key)
                )
            else:
                about = log_context.about(workspace=ready.workspace, message_key=logged(ready.key))
                try:
                    with about:
                        sent = await self._deliver(claimed, ready, progress.report)
                    progress.sent[ready.key] = sent
                finally:
                    progress.lease.done(claimed.row_id)

    async def _paced(self, claimed: "Claimed", delivery: Delivery) -> datetime | None:
        """Wait for the delivery's moment within its platform's known limits (bot.delivery.pacing);
        None once it may go, or when it must wait too long to sleep through."""
        platform = self.platforms[claimed.platform]
        if not isinstance(platform, PacedSends):
            return None
        limits = platform.send_limits(delivery)
        try:
            await self._pacer.admit_all([((claimed.platform, key), lim) for key, lim in limits])
        except RateLimited as far_off:
            return self.clock.now() + timedelta(seconds=far_off.retry_after)
        return None

    async def claim(self, limit: int) -> list["Claimed"]:
        """Lease up to `limit` due rows to this sender and prepare them for sending.

        One transaction per batch: the rows are read, leased and turned into deliveries
        together, so sending costs only one more transaction per message (marking it sent).
        """
        now = self.clock.now()
        lease_expired = now - timedelta(seconds=self.settings.outbox_lease_seconds)
        async with self.db.session() as session:
            # Pauses other replicas were told about count here too (bot.delivery.rate_pauses).
            self._paused_until.update(await rate_pauses.active(session, now))
            # A whole platform's pause keeps its rows unclaimed; a bucket's pause holds back
            # only the rows that would use that bucket (released again in `_paused_for`).
            paused = [
                name for name, bucket in self._paused_until if not bucket and self._paused(name)
            ]
            query = (
                select(OutboxMessage)
                .where(
                    or_(
                        (col(OutboxMessage.status) == "pending")
                        & (col(OutboxMessage.next_attempt_at) <= now),
                        (col(OutboxMessage.status) == "sending")
                        & (col(OutboxMessage.claimed_at) <= lease_expired),
                    ),
                    col(OutboxMessage.platform).not_in(paused),
                    col(OutboxMessage.platform).in_(list(self.platforms)),
                )
                .order_by(col(OutboxMessage.id))
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = (await session.exec(query)).all()
            workspaces: dict[int, Workspace] = {}
            claimed: list[Claimed] = []
            for row in rows:
                # Turning a hundred rows into deliveries holds the event loop for tens of
                # milliseconds: let the acks of new arrivals through between rows.
                await asyncio.sleep(0)
                uncertain = row.status == "sending"  # a lease its sender did not live to end
                row.status, row.claimed_at, row.claimed_by = "sending", now, self.replica
                in_batch = _original(row) in {c.delivery.key for c in claimed}
                delivery = await self._delivery(session, row, workspaces, in_batch)
                if delivery is not None and uncertain:
                    delivery = delivery.model_copy(update={"uncertain": True})
                if delivery is not None and row.id is not None:
                    awaits = _original(row) if in_batch else None
                    claimed.append(
                        Claimed(row.id, row.platform, row.attempts, delivery, now, awaits)
                    )
            return claimed

    def _paused(self, platform: str, bucket: str = "") -> bool:
        until = self._paused_until.get((platform, bucket))
        return until is not None and until > self.clock.now()

    def _paused_for(self, claimed: "Claimed", delivery: Delivery) -> datetime | None:
        """Until when this delivery must wait: its platform's pause or its buckets' latest."""
        buckets = [""]
        platform = self.platforms[claimed.platform]
        if isinstance(platform, RateBuckets):
            buckets += platform.buckets(delivery)
        ends = [
            self._paused_until[(claimed.platform, bucket)]
            for bucket in buckets
            if self._paused(claimed.platform, bucket)
        ]
        return max(ends) if ends else None

    async def _release(self, waiting: list[tuple["Claimed", datetime]]) -> None:
        """Hand back rows that wait out a rate limit or their original, without an attempt."""
        if not waiting:
            return
        async with self.db.session() as session:
            for claimed, paused in waiting:
                row = await session.get(OutboxMessage, claimed.row_id)
                assert row is not None
                if not self._still_claimed(row):
                    continue
                row.status, row.claimed_at, row.claimed_by = "pending", None, None
                # An edit whose original failed in this batch waits a moment, like any edit.
                row.next_attempt_at = max(paused, self.clock.now() + timedelta(seconds=1))
                row.last_error = "waiting out a rate limit or for the message to edit"

    async def _deliver(
        self, claimed: "Claimed", delivery: Delivery, report: SendReport
    ) -> str | None:
        """Send one leased row and record the outcome; the platform's message id if sent."""
        row_id = claimed.row_id
        try:
            message_id = await self.platforms[claimed.platform].send(delivery)
        except RateLimited as limited:
            until = self.clock.now() + timedelta(seconds=limited.retry_after)
            self._paused_until[(claimed.platform, limited.bucket)] = until
            async with self.db.session() as session:
                await rate_pauses.extend(session, claimed.platform, limited.bucket, until)
            await self._retry(
                row_id,
                until,
                f"rate limited for {limited.retry_after}s",
                count=False,
            )
            report.retried += 1
            metrics.OUTBOX_RATE_LIMITED.labels(claimed.platform).inc()
            metrics.OUTBOX_RETRIES.labels(claimed.platform).inc()
        except PermanentFailure as refused:
            await self._finish(claimed, "dead", error=str(refused))
            report.dead += 1
            metrics.OUTBOX_FAILED.labels(claimed.platform).inc()
        except Exception as failure:  # transient: network, 5xx, timeouts
            log.warning("outbox %s failed: %r", logged(delivery.key), failure)
            if claimed.attempts + 1 >= self.settings.outbox_max_attempts:
                await self._finish(claimed, "dead", error=repr(failure))
                report.dead += 1
                metrics.OUTBOX_FAILED.labels(claimed.platform).inc()
            else:
                delay = self.settings.outbox_backoff_seconds * 2**claimed.attempts
                await self._retry(
                    row_id, self.clock.now() + timedelta(seconds=delay), repr(failure)
                )
                report.retried += 1
                metrics.OUTBOX_RETRIES.labels(claimed.platform).inc()
        else:
            await self._finish(claimed, "sent", message_id=message_id)
            report.sent += 1
            metrics.OUTBOX_SENT.labels(claimed.platform).inc()
            return message_id
        return None

    async def _delivery(
        self,
        session: AsyncSession,
        row: OutboxMessage,
        workspaces: dict[int, Workspace],
        original_in_batch: bool,
    ) -> Delivery | None:
        if row.workspace_id not in workspaces:
            found = await session.get(Workspace, row.workspace_id)
            assert found is not None
            workspaces[row.workspace_id] = found
        destination = Destination.model_validate(row.destination)
        delivery = Delivery(
            key=row.key,
            workspace=workspaces[row.workspace_id].external_id,
            destination=destination,
            message=Message.model_validate(row.message),
            edit_message_id=destination.replaces or None,
        )
        original_key = _original(row)
        if original_key is None or original_in_batch:
            return delivery
        original = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.key == original_key))
        ).first()
        if original is None or original.status == "dead":
            # The original will never have an id to point at (never sent, or gone with its
            # retention window): give up rather than poll forever.
            row.status, row.sent_at = "dead", self.clock.now()
            row.last_error = (
                f"the message to edit or answer ({original_key}) was never sent or has expired"
            )
            return None
        if original.status != "sent":
            # The original is not out yet: try later, once it has an id to point at (not
            # before it is due itself: it may be held for someone's quiet hours).
            soon = self.clock.now() + timedelta(seconds=1)
            row.status, row.next_attempt_at = "pending", max(original.next_attempt_at, soon)
            row.claimed_at = row.claimed_by = None
            return None
        return _pointed_at(delivery, original.platform_message_id)

    async def _retry(self, row_id: int, when: datetime, error: str, *, count: bool = True) -> None:
        async with self.db.session() as session:
            row = await session.get(OutboxMessage, row_id)
            assert row is not None
            if not self._still_claimed(row):
                return
            row.status, row.next_attempt_at, row.last_error = "pending", when, error[:1000]
            row.claimed_at = row.claimed_by = None
            row.attempts += 1 if count else 0

    def _still_claimed(self, row: OutboxMessage) -> bool:
        """Whether the row is still claimed by this replica: one another replica took over
        after a lapsed lease, and may have sent by now, is not handed back for another try.
        (Marking a row sent is always right: it did go out.)"""
        return row.status == "sending" and row.claimed_by == self.replica

    async def _finish(
        self,
        claimed: Claimed,
        status: OutboxStatus,
        *,
        message_id: str | None = None,
        error: str | None = None,
    ) -> None:
        forget = claimed.delivery.key.startswith(FORGET_WHEN_SENT)
        outcome = SendOutcome(claimed.row_id, status, forget, message_id, error)
        await self._outcomes.submit(outcome)

    async def _record(self, outcomes: list[SendOutcome]) -> list[BaseException | None]:
        async with self.db.session(brief=True) as session:
            connection = await session.connection()
            await outbox_outcomes.record(connection, outcomes, self.clock.now())
        return [None] * len(outcomes)


def _original(row: OutboxMessage) -> str | None:
    """The key of the earlier message this row edits, or replies under in its thread."""
    return row.update_of or row.destination.get("thread_of") or None


def _pointed_at(delivery: Delivery, message_id: str | None) -> Delivery:
    """An edit aimed at its original's platform id, or a reply placed in its thread (in the
    channel itself when the platform gave the original no id to reply under)."""
    destination = delivery.destination
    if not destination.thread_of:
        return delivery.model_copy(update={"edit_message_id": message_id})
    if message_id is None:
        where = destination.model_copy(update={"kind": "channel"})
    else:
        where = destination.model_copy(update={"thread": message_id})
    return delivery.model_copy(update={"destination": where})


def _lanes(
    batch: list[Claimed], concurrency: int, platforms: Mapping[str, Platform]
) -> list[list[Claimed]]:
    """The batch in lanes by conversation; an edit or reply joins its original's lane, and a
    platform whose sends are instant keeps one lane. With a concurrency of 1, one lane in
    batch order: the sender works exactly as a sequential one."""
    if concurrency == 1:
        return [batch]

    def links(claimed: Claimed) -> list[Hashable]:
        original = claimed.edits_in_batch or claimed.delivery.key
        own: list[Hashable] = [("row", claimed.delivery.key), ("row", original)]
        platform = platforms[claimed.platform]
        if isinstance(platform, InstantSends) and platform.instant_sends:
            return [*own, (claimed.platform,)]
        where = outbox_lanes.places(claimed.delivery)
        return [*own, *((claimed.platform, place) for place in where)]

    return outbox_lanes.lanes(batch, links)


def _with_edit_target(claimed: Claimed, sent: dict[str, str | None]) -> Delivery | None:
    """The delivery, pointed at its original if that was sent earlier in the same batch;
    None if the original has not gone out (it failed or is waiting)."""
    if claimed.edits_in_batch is None:
        return claimed.delivery
    message_id = sent.get(claimed.edits_in_batch)
    if message_id is None:
        return None
    return _pointed_at(claimed.delivery, message_id)

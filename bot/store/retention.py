"""Retention: each kind of data is kept for its configured window, then deleted in batches.

A window of 0 days keeps that kind for ever. Features and adapters contribute the kinds of
their own tables through their `Feature` (pulse's survey comments, for one), with windows
from their own settings models; every window is a RETENTION_*_DAYS setting, the core's in
bot/wiring/config.py. Deleting expired rows is idempotent, so
every replica may run the job: two at once delete the same rows once, and a crash part-way
leaves the rest for the next day. Each batch is its own short transaction, so a large backlog
never holds locks for long.

Some rows must outlive their window for another reason, and are left alone:
- channel posts in the outbox: features edit them later (an idea's vote count), by key, so
  they have a window of their own, long by default; an edit of a post gone by then is given
  up (outbox.py), the post in chat keeps its last version;
- inbound events are deleted as soon as they are handled (bot/delivery/intake.py); only those left
  dead after their last attempt reach their window here;
- a sent message's files (a personal-data export, a chart) go sooner than the message: Teams
  offers a file by a consent card and uploads it only when the person accepts, from the sent
  row, so the files stay for that window and no longer.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, cast, update
from sqlmodel import col, delete, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from bot.delivery.intake import create_table, intake_database
from bot.models import (
    AuditEntry,
    DueWork,
    InboundEvent,
    Interaction,
    OutboxMessage,
    Person,
    ProcessedEvent,
)
from bot.store.db import Database
from bot.store.expiry import Expiry, Purge
from bot.time.clock import Clock
from bot.wiring.config import Settings

if TYPE_CHECKING:
    from bot.contract.feature import Feature

log = logging.getLogger(__name__)

_FINISHED = ("sent", "dead")
# Destinations nothing edits once sent; channel posts and thread replies may still be edited.
_PRIVATE = ("dm", "ephemeral", "group", "home")


Act = Callable[[AsyncSession, Sequence[Any]], Awaitable[int]]


async def _interactions(purge: Purge, cutoff: datetime) -> int:
    return await purge.delete_where(Interaction, col(Interaction.occurred_at) < cutoff)


async def _finished_batches(
    purge: Purge, cutoff: datetime, query: Select[*tuple[Any, ...]], act: Act
) -> int:
    """`act` on the rows of `query` (its first column the id) among finished outbox rows
    created before `cutoff`, one batch per transaction, in id order so that rows `act` keeps
    are not read again; how many rows it changed."""
    total, after = 0, 0
    while True:
        async with purge.db.session() as session:
            rows = (
                await session.exec(
                    query.where(
                        col(OutboxMessage.id) > after,
                        col(OutboxMessage.status).in_(_FINISHED),
                        col(OutboxMessage.created_at) < cutoff,
                    )
                    .order_by(col(OutboxMessage.id))
                    .limit(purge.batch)
                )
            ).all()
            total += await act(session, rows)
        if len(rows) < purge.batch:
            return total
        after = rows[-1][0]


async def _sent_outbox(purge: Purge, cutoff: datetime) -> int:
    """Finished messages nothing will edit again: private ones, and edits themselves."""

    async def expire(session: AsyncSession, rows: Sequence[Any]) -> int:
        expired = [
            row_id
            for row_id, destination, update_of in rows
            if update_of is not None or destination.get("kind") in _PRIVATE
        ]
        if expired:
            await session.exec(delete(OutboxMessage).where(col(OutboxMessage.id).in_(expired)))
        return len(expired)

    query = select(OutboxMessage.id, OutboxMessage.destination, OutboxMessage.update_of)
    return await _finished_batches(purge, cutoff, query, expire)


async def _channel_posts(purge: Purge, cutoff: datetime) -> int:
    """Finished channel posts and thread replies: the copies of what was said in channels."""

    async def expire(session: AsyncSession, rows: Sequence[Any]) -> int:
        expired = [
            row_id for row_id, destination in rows if destination.get("kind") not in _PRIVATE
        ]
        if expired:
            await session.exec(delete(OutboxMessage).where(col(OutboxMessage.id).in_(expired)))
        return len(expired)

    query = select(OutboxMessage.id, OutboxMessage.destination)
    return await _finished_batches(purge, cutoff, query, expire)


async def _sent_files(purge: Purge, cutoff: datetime) -> int:
    """Files of finished messages: the message stays, without them."""

    async def strip(session: AsyncSession, rows: Sequence[Any]) -> int:
        with_files = [(row_id, message) for row_id, message in rows if message.get("attachments")]
        for row_id, message in with_files:
            await session.exec(
                update(OutboxMessage)
                .where(col(OutboxMessage.id) == row_id)
                .values(message={**message, "attachments": []})
            )
        return len(with_files)

    query = select(OutboxMessage.id, OutboxMessage.message).where(
        cast(OutboxMessage.message, String).like('%"media_type"%')
    )
    return await _finished_batches(purge, cutoff, query, strip)


async def _processed_events(purge: Purge, cutoff: datetime) -> int:
    return await purge.delete_where(ProcessedEvent, col(ProcessedEvent.received_at) < cutoff)


async def _inbound_events(purge: Purge, cutoff: datetime) -> int:
    """Inbound events still stored after the window: left dead after their last attempt
    (a handled one is deleted at once). Their payloads hold people's words. On SQLite they
    are in a file of their own (bot/delivery/intake.py)."""
    store = intake_database(purge.db)
    try:
        await create_table(store)
        expired = col(InboundEvent.received_on) < cutoff.date()
        return await Purge(store, purge.batch).delete_where(InboundEvent, expired)
    finally:
        if store is not purge.db:
            await store.dispose()


async def _audit(purge: Purge, cutoff: datetime) -> int:
    return await purge.delete_where(AuditEntry, col(AuditEntry.created_at) < cutoff)


async def _departed_people(purge: Purge, cutoff: datetime) -> int:
    """People who left: their e-mail, location and manager go, and where each came from;
    their name and department stay for the counts their rows are part of."""
    total = 0
    while True:
        async with purge.db.session() as session:
            ids = (
                await session.exec(
                    select(Person.id)
                    .where(
                        col(Person.active).is_(False),
                        col(Person.left_on) < cutoff.date(),
                        or_(
                            col(Person.email).is_not(None),
                            col(Person.location).is_not(None),
                            col(Person.manager_id).is_not(None),
                        ),
                    )
                    .limit(purge.batch)
                )
            ).all()
            if ids:
                await session.exec(
                    update(Person)
                    .where(col(Person.id).in_(ids))
                    .values(email=None, location=None, manager_id=None, sources={})
                )
        total += len(ids)
        if len(ids) < purge.batch:
            return total


async def _done_work(purge: Purge, cutoff: datetime) -> int:
    """Finished units only: a schedule never fires a past period again, so nothing needs their
    keys once they are done."""
    return await purge.delete_where(
        DueWork, col(DueWork.status).in_(("done", "failed")), col(DueWork.run_at) < cutoff
    )


def windows(settings: Settings, features: Sequence["Feature"] = ()) -> list[Expiry]:
    """The core's kinds of data and those `features` contribute (pulse's survey comments, the
    Teams adapter's remembered messages), each with its window."""
    core = [
        Expiry("interactions", settings.retention_interactions_days, _interactions),
        Expiry("sent_outbox", settings.retention_sent_outbox_days, _sent_outbox),
        Expiry("channel_posts", settings.retention_channel_posts_days, _channel_posts),
        Expiry("sent_files", settings.retention_sent_files_days, _sent_files),
        Expiry("processed_events", settings.retention_processed_events_days, _processed_events),
        Expiry("inbound_events", settings.retention_inbound_events_days, _inbound_events),
        Expiry("audit", settings.retention_audit_days, _audit),
        Expiry("done_work", settings.retention_done_work_days, _done_work),
        Expiry("departed_people", settings.retention_departed_people_days, _departed_people),
    ]
    return core + [expiry for feature in features for expiry in feature.expiries(settings)]


async def enforce(
    db: Database, settings: Settings, now: datetime, features: Sequence["Feature"] = ()
) -> dict[str, int]:
    """Delete every expired row now; how many went, by kind."""
    purge = Purge(db, settings.retention_batch_size)
    for expiry in windows(settings, features):
        if expiry.days > 0:
            purge.removed[expiry.kind] = await expiry.purge(
                purge, now - timedelta(days=expiry.days)
            )
    log.info("retention removed %s", purge.removed)
    return purge.removed


class RetentionJob:
    """Runs `enforce` once a day, from the scheduler's loop."""

    def __init__(
        self, db: Database, settings: Settings, clock: Clock, features: Sequence["Feature"] = ()
    ) -> None:
        self.db, self.settings, self.clock = db, settings, clock
        self.features = features
        self.next_run: datetime | None = None

    async def run_if_due(self) -> dict[str, int] | None:
        now = self.clock.now()
        if self.next_run is not None and now < self.next_run:
            return None
        self.next_run = now + timedelta(days=1)
        return await enforce(self.db, self.settings, now, self.features)

"""Transactional outbox: messages are rows committed with the change that caused them.

A Sender drains the rows through the platform adapters. A row is claimed (status `sending`)
in one short transaction, sent, then marked `sent` in another; a sender that dies in between
leaves a claim whose lease expires, and the row is sent again, with the same key, so a
platform that deduplicates by key (and the local platform) shows it once.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import Settings
from bot.db import Database
from bot.models import OutboxMessage, Workspace
from bot.platform import Delivery, PermanentFailure, Platform, RateLimited
from bot.ui import Destination, Message

log = logging.getLogger(__name__)


@dataclass
class OutboxWriter:
    """Adds messages to the caller's transaction under keys derived from one stable prefix."""

    session: AsyncSession
    workspace: Workspace
    key_prefix: str
    now: datetime
    keys: list[str] = field(default_factory=list)

    def add(
        self, destination: Destination, message: Message, *, update_of: str | None = None
    ) -> str:
        key = f"{self.key_prefix}:{len(self.keys)}"
        assert self.workspace.id is not None
        self.session.add(
            OutboxMessage(
                key=key,
                workspace_id=self.workspace.id,
                platform=self.workspace.platform,
                destination=destination.model_dump(),
                message=message.model_dump(),
                update_of=update_of,
                next_attempt_at=self.now,
                created_at=self.now,
            )
        )
        self.keys.append(key)
        return key


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0


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
        self._paused_until: dict[str, datetime] = {}

    async def drain(self, limit: int = 100) -> SendReport:
        """Send every row that is due now, batch by batch, until none is left."""
        report = SendReport()
        while True:
            batch = await self.claim(limit)
            if not batch:
                return report
            for row_id in batch:
                await self._deliver(row_id, report)

    async def claim(self, limit: int) -> list[int]:
        now = self.clock.now()
        lease_expired = now - timedelta(seconds=self.settings.outbox_lease_seconds)
        paused = [name for name, until in self._paused_until.items() if until > now]
        async with self.db.session() as session:
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
            for row in rows:
                row.status, row.claimed_at, row.claimed_by = "sending", now, self.replica
            return [row.id for row in rows if row.id is not None]

    async def _deliver(self, row_id: int, report: SendReport) -> None:
        async with self.db.session() as session:
            row = await session.get(OutboxMessage, row_id)
            if row is None or row.status != "sending" or row.claimed_by != self.replica:
                return
            delivery = await self._delivery(session, row)
        if delivery is None:
            return
        paused_until = self._paused_until.get(row.platform)
        if paused_until and paused_until > self.clock.now():
            await self._retry(row_id, paused_until, "waiting out a rate limit", count=False)
            return
        platform = self.platforms[row.platform]
        try:
            message_id = await platform.send(delivery)
        except RateLimited as limited:
            until = self.clock.now() + timedelta(seconds=limited.retry_after)
            self._paused_until[row.platform] = until
            await self._retry(
                row_id, until, f"rate limited for {limited.retry_after}s", count=False
            )
            report.retried += 1
        except PermanentFailure as refused:
            await self._finish(row_id, "dead", error=str(refused))
            report.dead += 1
        except Exception as failure:  # transient: network, 5xx, timeouts
            log.warning("outbox %s failed: %r", row.key, failure)
            if row.attempts + 1 >= self.settings.outbox_max_attempts:
                await self._finish(row_id, "dead", error=repr(failure))
                report.dead += 1
            else:
                delay = self.settings.outbox_backoff_seconds * 2**row.attempts
                await self._retry(
                    row_id, self.clock.now() + timedelta(seconds=delay), repr(failure)
                )
                report.retried += 1
        else:
            await self._finish(row_id, "sent", message_id=message_id)
            report.sent += 1

    async def _delivery(self, session: AsyncSession, row: OutboxMessage) -> Delivery | None:
        workspace = await session.get(Workspace, row.workspace_id)
        assert workspace is not None
        edit_id = None
        if row.update_of:
            edited = (
                await session.exec(select(OutboxMessage).where(OutboxMessage.key == row.update_of))
            ).first()
            if edited is None or edited.status == "dead":
                # The original will never have an id to edit: give up rather than poll forever.
                row.status, row.sent_at = "dead", self.clock.now()
                row.last_error = f"the message to edit ({row.update_of}) was never sent"
                return None
            if edited.status != "sent":
                # The original is not out yet: edit later, once it has an id to edit.
                row.status, row.next_attempt_at = "pending", self.clock.now() + timedelta(seconds=1)
                return None
            edit_id = edited.platform_message_id
        return Delivery(
            key=row.key,
            workspace=workspace.external_id,
            destination=Destination.model_validate(row.destination),
            message=Message.model_validate(row.message),
            edit_message_id=edit_id,
        )

    async def _retry(self, row_id: int, when: datetime, error: str, *, count: bool = True) -> None:
        async with self.db.session() as session:
            row = await session.get(OutboxMessage, row_id)
            assert row is not None
            row.status, row.next_attempt_at, row.last_error = "pending", when, error[:1000]
            row.claimed_at = row.claimed_by = None
            row.attempts += 1 if count else 0

    async def _finish(
        self, row_id: int, status: str, *, message_id: str | None = None, error: str | None = None
    ) -> None:
        async with self.db.session() as session:
            row = await session.get(OutboxMessage, row_id)
            assert row is not None
            row.status, row.platform_message_id, row.sent_at = status, message_id, self.clock.now()
            row.last_error = error[:1000] if error else None
            row.attempts += 1

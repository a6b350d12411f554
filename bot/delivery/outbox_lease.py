"""A batch's claim on its outbox rows, kept valid for as long as the batch is being sent.

Another replica takes a claimed row over once `outbox_lease_seconds` have passed since its
`claimed_at`: that is how the rows of a sender that died get sent. A sender that is alive but
slow (a slow platform, a long batch) must therefore keep the claims it still works on younger
than that, or the rows would go out twice. So while a batch is sent a heartbeat renews its
claims every third of the lease, and each row is checked just before its send, with a renewal
first when the last one is a third of a lease old (the heartbeat may be late: a database
hiccup, a busy event loop, a virtual clock that moves with the sends).

A renewal touches only the rows still claimed under this batch's own stamp (this replica and
the `claimed_at` it last wrote). A row that another replica took over after a real expiry is
left to it, and dropped from this batch unsent.
"""

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import col, update

from bot.models import OutboxMessage
from bot.store.db import Database
from bot.time.clock import Clock

log = logging.getLogger(__name__)


class Lease:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        replica: str,
        seconds: float,
        rows: Iterable[int],
        stamp: datetime,
    ) -> None:
        self.db = db
        self.clock = clock
        self.replica = replica
        self.length = timedelta(seconds=seconds)
        self.stamp = stamp  # the `claimed_at` of every row still held
        self._held = set(rows)
        self._renewing = asyncio.Lock()

    def done(self, row_id: int) -> None:
        """The row's send is over: its outcome is recorded, it needs no more renewing."""
        self._held.discard(row_id)

    async def holds(self, row_id: int) -> bool:
        """Whether the row is still this batch's to send, for at least two thirds of a lease."""
        if self._aged():
            async with self._renewing:
                if self._aged():
                    await self._renew()
        return row_id in self._held

    async def keep_renewed(self, stop: asyncio.Event) -> None:
        """Renew every third of the lease until `stop`. A failed renewal is logged and tried
        again at the next beat: `holds` keeps a row from being sent on an aged claim."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.length.total_seconds() / 3)
            if stop.is_set():
                return
            try:
                async with self._renewing:
                    await self._renew()
            except Exception:
                log.warning("renewing the outbox claims failed; trying again", exc_info=True)

    def _aged(self) -> bool:
        return self.clock.now() - self.stamp >= self.length / 3

    async def _renew(self) -> None:
        now = self.clock.now()
        asked = set(self._held)
        if asked:
            async with self.db.session() as session:
                renewed = await session.exec(
                    update(OutboxMessage)
                    .where(
                        col(OutboxMessage.id).in_(asked),
                        col(OutboxMessage.status) == "sending",
                        col(OutboxMessage.claimed_by) == self.replica,
                        col(OutboxMessage.claimed_at) == self.stamp,
                    )
                    .values(claimed_at=now)
                    .returning(col(OutboxMessage.id))
                )
                kept = set(renewed.scalars().all())
            # A row missing from `kept` was taken over, or its send is just being recorded.
            self._held -= asked - kept
        self.stamp = now

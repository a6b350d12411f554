"""Which replica fires schedule triggers: the one holding a PostgreSQL advisory lock.

The lock is a session lock on a connection kept for it alone, so one replica stays the owner
(and says so in its log and on /healthz) instead of the role hopping every tick. When the owner
dies its connection closes and PostgreSQL releases the lock; another replica takes it on its
next tick. TCP keepalives on that connection bound the case where the owner's host vanishes
without closing anything: the server drops the connection (and the lock) after about 25 s.

Owning the lock is an economy, not what keeps firings unique: a firing locks its schedule row
and writes due work under a unique key, so two firers at once still fire a period once.
"""

import logging
from typing import Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store.db import Database

log = logging.getLogger(__name__)

# Any constant shared by all replicas. Advisory locks are per database, so the second key
# names this deployment's schedule table: another deployment (or test run) in another schema
# of the same database must not block us.
KEY: Final = 0x5241_5050
SCOPE: Final = "'schedule'::regclass::oid::int"
TRY_SESSION_LOCK: Final = f"SELECT pg_try_advisory_lock({KEY}, {SCOPE})"
TRY_TRANSACTION_LOCK: Final = f"SELECT pg_try_advisory_xact_lock({KEY}, {SCOPE})"
KEEPALIVES: Final = {
    "tcp_keepalives_idle": "10",
    "tcp_keepalives_interval": "5",
    "tcp_keepalives_count": "3",
}


class TriggerLock:
    """Held across ticks by a serving replica; always held on SQLite (one process)."""

    def __init__(self, db: Database, replica: str) -> None:
        self.db = db
        self.replica = replica
        self._connection: AsyncConnection | None = None

    @property
    def owned(self) -> bool:
        return self._connection is not None or not self.db.is_postgres

    async def hold(self) -> bool:
        """Whether this replica owns triggers now: keep the lock if still held, else try."""
        if not self.db.is_postgres:
            return True
        if self._connection is not None and await self._alive(self._connection):
            return True
        return await self._acquire()

    async def _alive(self, connection: AsyncConnection) -> bool:
        try:
            await connection.execute(text("SELECT 1"))
            await connection.commit()
        except Exception as failure:
            log.warning("replica %s lost the trigger lock: %r", self.replica, failure)
            await self._drop()
            return False
        return True

    async def _acquire(self) -> bool:
        try:
            connection = await self.db.engine.connect()
        except Exception as failure:
            log.warning("cannot reach the database for the trigger lock: %r", failure)
            return False
        try:
            for name, value in KEEPALIVES.items():
                await connection.execute(text(f"SET {name} = {value}"))
            got = bool((await connection.execute(text(TRY_SESSION_LOCK))).scalar())
            await connection.commit()
        except Exception as failure:
            log.warning("could not try the trigger lock: %r", failure)
            got = False
        if not got:
            await connection.close()
            return False
        self._connection = connection
        log.info("replica %s now fires schedule triggers", self.replica)
        return True

    async def release(self) -> None:
        if self._connection is not None:
            log.info("replica %s stops firing schedule triggers", self.replica)
            await self._drop()

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        # Closing the DBAPI connection is what surely releases a session lock; handing it
        # back to the pool would keep the lock on a connection nobody watches.
        try:
            await connection.invalidate()
            await connection.close()
        except Exception as failure:
            log.debug("closing the trigger lock connection failed: %r", failure)

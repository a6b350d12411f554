"""Runs the intake's statements a whole transaction at a time.

Each statement of the intake is a plain function of a synchronous session. On PostgreSQL it
runs over the bot's async engine (AsyncSession.run_sync). On SQLite it runs in a thread of
the intake's own, on a connection of its own to the intake's file, BEGIN to COMMIT in one
trip: an ack then waits for one wake-up of the event loop, not one per statement, and the
loop is busy with the work behind earlier acks.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.db import Database, _sqlite_begin_immediate, _sqlite_pragmas
from bot.models import InboundEvent

T = TypeVar("T")

Statement = Callable[[Session], T]


class IntakeStore:
    def __init__(self, db: Database) -> None:
        """`db` holds the inbound events: the bot's PostgreSQL database or the intake's file."""
        self.db = db
        self.is_postgres = db.is_postgres
        self._engine: Engine | None = None
        self._thread: ThreadPoolExecutor | None = None
        if not self.is_postgres:
            url = make_url(db.url).set(drivername="sqlite")
            self._engine = create_engine(url)
            event.listen(self._engine, "connect", _sqlite_pragmas)
            event.listen(self._engine, "begin", _sqlite_begin_immediate)
            self._sessions = sessionmaker(self._engine)
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="intake")
        self._ready = False

    async def run(self, statement: "Statement[T]") -> T:
        """`statement` in a transaction of its own, committed when it returns."""
        if not self._ready:
            await self._in_transaction(_create_table)
            self._ready = True
        return await self._in_transaction(statement)

    async def _in_transaction(self, statement: "Statement[T]") -> T:
        if self._thread is None:
            async with self.db.session() as session:
                return await session.run_sync(statement)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, self._on_thread, statement)

    def _on_thread(self, statement: "Statement[T]") -> T:
        with self._sessions.begin() as session:
            return statement(session)

    async def close(self) -> None:
        if self._thread is not None and self._engine is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, self._engine.dispose)
            self._thread.shutdown()


def _create_table(session: Session) -> None:
    """In the intake's SQLite file (in PostgreSQL the migrations made it)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        table = InboundEvent.metadata.tables[InboundEvent.__tablename__]
        InboundEvent.metadata.create_all(connection, [table])

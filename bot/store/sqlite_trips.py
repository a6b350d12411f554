"""aiosqlite with one trip to its thread per statement.

aiosqlite runs each call on the connection's own thread and wakes the event loop when it is
done: making a cursor, executing, fetching the rows and closing the cursor are four trips for
one statement. Profiling Bot.dispatch on the kudos mix found about 50 trips an event, each
costing more than the statement behind it (benchmarks/README.md, Handled throughput). Here a
statement is executed and its rows fetched in one trip, and a cursor is made and closed in
place: those touch no data.

Statements run on the thread, so a long query (the dashboard's, retention's) does not hold up
the event loop and the acknowledgements it sends. Within `brief()`, statements inside a
transaction this connection holds run in place instead: handling an event is a dozen point
reads and writes of well under a millisecond each, for which the trip cost more than the
work. COMMIT, which waits for the disk, always goes to the thread.

BEGIN takes the write lock (bot.store.db), which this process hands out one transaction at a
time (bot/store/sqlite_turn.py): it is tried in place without waiting, and goes to the thread,
to wait as long as the busy timeout allows, only when another process (a CLI command) holds
the lock. SQLAlchemy's pool rolls back every connection it gets back, after a commit too; with
no transaction open that rollback takes no trip. Counted on the Slack ingest benchmark, these
two were half of all trips (benchmarks/README.md, Slack ingest).
"""

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager as sync_contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager

ITER_CHUNK_SIZE = 64
_BRIEF: ContextVar[bool] = ContextVar("brief_statements", default=False)


@sync_contextmanager
def brief() -> Iterator[None]:
    """Statements of this task run in place while it holds a transaction (see above)."""
    token = _BRIEF.set(True)
    try:
        yield
    finally:
        _BRIEF.reset(token)


def _begun_at_once(cursor: sqlite3.Cursor, sql: str, busy_milliseconds: int) -> bool:
    """Whether `sql` (a BEGIN) took the lock without waiting; False when another holds it.
    The pragmas run on cursors of their own: their rows are not the BEGIN's."""
    connection = cursor.connection
    connection.execute("PRAGMA busy_timeout=0").close()
    try:
        cursor.execute(sql)
    except sqlite3.OperationalError as failure:
        if failure.sqlite_errorcode != sqlite3.SQLITE_BUSY:
            raise
        return False
    finally:
        connection.execute(f"PRAGMA busy_timeout={busy_milliseconds}").close()
    return True


def _run(cursor: sqlite3.Cursor, sql: str, parameters: Any) -> list[Any] | None:
    cursor.execute(sql, parameters)
    return cursor.fetchall() if cursor.description else None


class OneTripCursor(aiosqlite.Cursor):
    _rows: list[Any] | None = None
    # The connection's busy timeout, put back after a BEGIN tried without waiting.
    busy_milliseconds = 0

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> "OneTripCursor":
        values = [] if parameters is None else parameters
        if sql.startswith("BEGIN") and _begun_at_once(self._cursor, sql, self.busy_milliseconds):
            return self
        if _BRIEF.get() and self._cursor.connection.in_transaction:
            self._rows = _run(self._cursor, sql, values)
            return self
        # aiosqlite leaves _execute untyped.
        self._rows = await self._execute(_run, self._cursor, sql, values)  # type: ignore[no-untyped-call]
        return self

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> "OneTripCursor":
        if _BRIEF.get() and self._cursor.connection.in_transaction:
            self._cursor.executemany(sql, parameters)  # type: ignore[arg-type]
            return self
        await self._execute(self._cursor.executemany, sql, parameters)  # type: ignore[no-untyped-call]
        return self

    async def fetchall(self) -> Iterable[sqlite3.Row]:
        rows, self._rows = self._rows, None
        return rows if rows is not None else await super().fetchall()

    async def fetchone(self) -> sqlite3.Row | None:
        if self._rows is None:
            return await super().fetchone()
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Iterable[sqlite3.Row]:
        if self._rows is None:
            return await super().fetchmany(size)
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def close(self) -> None:
        self._cursor.close()


class OneTripConnection(aiosqlite.Connection):
    busy_milliseconds = 0

    @contextmanager
    async def cursor(self) -> aiosqlite.Cursor:
        cursor = OneTripCursor(self, self._conn.cursor())
        cursor.busy_milliseconds = self.busy_milliseconds
        return cursor

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()


async def connect(path: str, busy_seconds: float) -> OneTripConnection:
    """A connection whose sqlite3 object is made on its thread and also used, for cursors, on
    the event loop's: never at the same time, as SQLAlchemy runs one statement at a time."""
    connector = partial(sqlite3.connect, path, timeout=busy_seconds, check_same_thread=False)
    connection = OneTripConnection(connector, ITER_CHUNK_SIZE)
    connection.busy_milliseconds = int(busy_seconds * 1000)
    # Like SQLAlchemy's own aiosqlite connect: a forgotten connection must not keep the process.
    connection._thread.daemon = True
    await connection
    return connection

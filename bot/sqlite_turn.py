"""One SQLite transaction at a time in this process, queued in the event loop.

SQLite runs one write transaction at a time, and every transaction here takes the write lock
at BEGIN (bot.db). Left to SQLite, the waiting happens in its busy handler, which sleeps up to
100 ms between tries on the connection's thread: under a burst of Slack events, the work
behind the acks spent most of its time in those sleeps (benchmarks/README.md, Slack ingest).
Queued here, the next transaction starts the moment the last one ends. Other processes on
the same file (a CLI command) still meet the busy handler.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

BUSY_TIMEOUT_SECONDS = 30


class SqliteTurn:
    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[object] | None = None

    @asynccontextmanager
    async def take(self) -> AsyncIterator[None]:
        """This task's turn; waits as long as SQLite's busy timeout would, then fails as it."""
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            # A session opened inside another in the same task: SQLite decides, as before.
            yield
            return
        try:
            await asyncio.wait_for(self._lock.acquire(), BUSY_TIMEOUT_SECONDS)
        except TimeoutError:
            raise TimeoutError("the database stayed busy: a transaction never ended") from None
        self._holder = task
        try:
            yield
        finally:
            self._holder = None
            self._lock.release()

"""One SQLite transaction at a time in this process, queued in the event loop.

SQLite runs one write transaction at a time, and every transaction here takes the write lock
at BEGIN (bot.db). Left to SQLite, the waiting happens in its busy handler, which sleeps up to
100 ms between tries on the connection's thread: under a burst of Slack events, the work
behind the acks spent most of its time in those sleeps (benchmarks/README.md, Slack ingest).
Queued here, the next transaction starts the moment the last one ends. Other processes on
the same file (a CLI command) still meet the busy handler.

An urgent transaction (storing inbound events before their acknowledgement, bot/intake.py)
goes before every one waiting that is not: behind the work of a burst, the ack would
otherwise wait for each transaction queued ahead of it.
"""

import asyncio
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

BUSY_TIMEOUT_SECONDS = 30


class SqliteTurn:
    def __init__(self) -> None:
        self._busy = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._others: deque[asyncio.Future[None]] = deque()
        self._holder: asyncio.Task[object] | None = None

    @asynccontextmanager
    async def take(self, *, urgent: bool = False) -> AsyncIterator[None]:
        """This task's turn; waits as long as SQLite's busy timeout would, then fails as it."""
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            # A session opened inside another in the same task: SQLite decides, as before.
            yield
            return
        try:
            await asyncio.wait_for(self._acquire(urgent), BUSY_TIMEOUT_SECONDS)
        except TimeoutError:
            raise TimeoutError("the database stayed busy: a transaction never ended") from None
        self._holder = task
        try:
            yield
        finally:
            self._holder = None
            self._release()

    async def _acquire(self, urgent: bool) -> None:
        if not (self._busy or self._urgent or self._others):
            self._busy = True
            return
        turn = asyncio.get_running_loop().create_future()
        queue = self._urgent if urgent else self._others
        queue.append(turn)
        try:
            await turn
        except BaseException:
            if turn.done() and not turn.cancelled():
                self._release()  # handed the turn just as it gave up: pass it on
            elif turn in queue:
                queue.remove(turn)
            raise

    def _release(self) -> None:
        """Hand the turn to the first urgent waiter, else the first other one."""
        for queue in (self._urgent, self._others):
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)
                    return
        self._busy = False

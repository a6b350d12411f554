"""Group commit: items that arrive while a transaction is running share the next one.

SQLite writes one transaction at a time and each commit waits for the disk, so under a burst
most of an event's cost was its own BEGIN, COMMIT and fsync rather than its handling
(benchmarks/README.md, Dispatch). Here every caller waits for its own item's result, as
before, but the items that queued up meanwhile are run together, each in a savepoint of one
transaction, by at most `lanes` batches at a time. One item alone is a batch of one: nothing
waits for company. A batch whose transaction fails as a whole is run again item by item.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

RunBatch = Callable[[list[T]], Awaitable[list[R | BaseException]]]


class GroupCommit(Generic[T, R]):
    def __init__(self, run_batch: RunBatch[T, R], *, limit: int, lanes: int) -> None:
        self._run_batch = run_batch
        self._limit = limit
        self._lanes = lanes
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._running = 0
        self._drainers: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._running < self._lanes:
            self._running += 1
            drainer = asyncio.create_task(self._drain())
            self._drainers.add(drainer)
            drainer.add_done_callback(self._drainers.discard)
        # A caller that gives up cancels only its wait: the item stays in its batch and is
        # handled (_settle skips a future already done). Not shielded: a shield's own future
        # adds a turn of the event loop to every result, and an ack waits for each turn
        # behind the work under way (benchmarks/README.md, Slack ingest).
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = (
                    self._waiting[: self._limit],
                    self._waiting[self._limit :],
                )
                await self._settle(batch)
        finally:
            self._running -= 1

    async def _settle(self, batch: list[tuple[T, "asyncio.Future[R]"]]) -> None:
        try:
            results = await self._run_batch([item for item, _ in batch])
        except Exception as failure:
            if len(batch) > 1:
                # The shared transaction failed as a whole, e.g. at its commit: nothing of it
                # was kept, so each item gets a transaction of its own.
                for one in batch:
                    await self._settle([one])
                return
            results = [failure]
        except BaseException:
            # Cancelled, e.g. at shutdown: the callers must not wait for ever.
            for _, future in batch:
                future.cancel()
            raise
        for (_, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)

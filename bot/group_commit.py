"""Group commit: items submitted while a flush is under way share the next flush.

The first item is flushed at once, alone; those arriving during that flush wait for it and
then go together in one statement and one commit. A burst of requests thus costs a few
commits instead of one each, and a lone request waits for nothing but its own.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

Flush = Callable[[list[Item]], Awaitable[Sequence[Result]]]


class GroupCommit(Generic[Item, Result]):
    def __init__(self, flush: Flush[Item, Result], most: int = 500) -> None:
        self._flush = flush
        self._most = most
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """The result of `item`'s flush, once it has committed; its error if it failed."""
        done: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._most], self._waiting[self._most :]
            try:
                results = await self._flush([item for item, _ in batch])
            except Exception as failure:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(failure)
                continue
            for (_, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)

"""Values kept in memory for a while, and no more of them than a bound."""

import time
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Expiring(Generic[K, V]):
    """Each value for `seconds` after it was put, at most `most` of them, the least lately
    used leaving first: a process that runs for months keeps only what it uses."""

    def __init__(self, seconds: float, most: int) -> None:
        self.seconds = seconds
        self.most = most
        self._kept: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def find(self, key: K) -> tuple[V] | None:
        """`(value,)` while the value is fresh, else None: a value may itself be None (a
        lookup that found nobody, remembered as such)."""
        kept = self._kept.get(key)
        if kept is None or kept[0] <= time.monotonic():
            return None
        self._kept.move_to_end(key)
        return (kept[1],)

    def put(self, key: K, value: V) -> None:
        self._kept[key] = (time.monotonic() + self.seconds, value)
        self._kept.move_to_end(key)
        while len(self._kept) > self.most:
            self._kept.popitem(last=False)

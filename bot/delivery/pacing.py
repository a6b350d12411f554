"""Sending within a platform's known limits, so that a 429 is the exception, not the brake.

A limit is a sliding window: at most `count` sends in any `window` seconds. A Pacer keeps the
moments of recent sends per key (a platform, a tenant, a conversation) and hands each send the
first moment every window allows. The moment is reserved when it is handed out: senders
working at the same time queue one behind the other instead of all waking together and
bursting past the limit. A send whose moment is far off is not slept for: the caller gets
RateLimited and the outbox hands the row back until then, as if the platform had said 429.

A platform declares its limits (PacedSends); the outbox paces every send through them.
"""

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Hashable
from typing import Protocol, runtime_checkable

from bot.contract.platform import Delivery, RateLimited

# (window in seconds, sends allowed in it), for one key.
Limits = tuple[tuple[float, int], ...]


def per_second(rate: float) -> Limits:
    """At most `rate` sends in any second, and never two closer than half a 1/rate apart: a
    sender that was held up (a database turn, a batch boundary) catches up at twice the rate
    instead of losing the time, and never bursts a whole second's worth at once."""
    return ((1.0, max(int(rate), 1)), (0.5 / rate, 1))


# Waits up to this long are slept through; longer ones go back to the outbox.
MAX_SLEEP_SECONDS = 2.0


@runtime_checkable
class PacedSends(Protocol):
    """A platform with documented send limits: under which keys, with which limits, one
    delivery counts (e.g. the tenant it goes to, at 50 a second)."""

    def send_limits(self, delivery: Delivery) -> list[tuple[Hashable, Limits]]: ...


class Pacer:
    def __init__(
        self,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.now = now
        self.sleep = sleep
        self._sent: defaultdict[Hashable, deque[float]] = defaultdict(deque)

    def wait_needed(self, key: Hashable, limits: Limits) -> float:
        """Seconds from now until one more send under `key` keeps within `limits`."""
        return max(self._slot(key, limits) - self.now(), 0.0)

    async def admit(self, key: Hashable, limits: Limits) -> None:
        """Wait for this send's moment, or raise RateLimited when it is far off."""
        await self.admit_all([(key, limits)])

    async def admit_all(self, keyed: list[tuple[Hashable, Limits]]) -> None:
        """One send counted under several keys: its moment is the latest any of them allows."""
        if not keyed:
            return
        now = self.now()
        moment = max(self._slot(key, limits) for key, limits in keyed)
        if moment - now > MAX_SLEEP_SECONDS:
            raise RateLimited(moment - now)
        for key, _ in keyed:
            self._sent[key].append(moment)
        if moment > now:
            await self.sleep(moment - now)

    def _slot(self, key: Hashable, limits: Limits) -> float:
        """The first moment, not before now nor before the last reserved one, that leaves
        fewer than `count` sends in every window ending then."""
        sent = self._sent[key]
        now = self.now()
        longest = max(window for window, _ in limits)
        while sent and sent[0] <= now - longest:
            sent.popleft()
        moment = max(now, sent[-1]) if sent else now
        for window, count in limits:
            if len(sent) >= count:
                moment = max(moment, sent[-count] + window)
        return moment

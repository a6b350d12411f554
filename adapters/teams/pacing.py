"""Teams' per-conversation send limits, kept before Teams has to answer 429.

Teams limits each bot in each conversation to 7 messages a second, 8 in 2 seconds, 60 in 30
seconds and 1800 an hour. A send that would pass a limit waits when the wait is short; a longer
wait is handed to the outbox as a rate limit, so the sender does not sit idle for it.
"""

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Callable

from bot.platform import RateLimited

LIMITS: tuple[tuple[float, int], ...] = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
LONGEST_WAIT = max(window for window, _ in LIMITS)
MAX_SLEEP_SECONDS = 2.0


class ConversationPacer:
    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self.now = now
        self._sent: defaultdict[str, deque[float]] = defaultdict(deque)

    def wait_needed(self, conversation: str) -> float:
        """Seconds until one more message may go to `conversation`."""
        sent = self._sent[conversation]
        now = self.now()
        while sent and sent[0] <= now - LONGEST_WAIT:
            sent.popleft()
        wait = 0.0
        for window, limit in LIMITS:
            recent = [t for t in sent if t > now - window]
            if len(recent) >= limit:
                wait = max(wait, recent[-limit] + window - now)
        return wait

    async def admit(self, conversation: str) -> None:
        """Wait for a short gap, or raise RateLimited for a long one; then count the send."""
        wait = self.wait_needed(conversation)
        if wait > MAX_SLEEP_SECONDS:
            raise RateLimited(wait)
        if wait > 0:
            await asyncio.sleep(wait)
        self._sent[conversation].append(self.now())

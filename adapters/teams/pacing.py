"""Teams' send limits, kept before Teams has to answer 429 (bot.delivery.pacing does the pacing).

Teams limits each bot in each conversation to 7 messages a second, 8 in 2 seconds, 60 in 30
seconds and 1800 an hour, and each app to 50 requests a second in each tenant. The tenant's
limit is declared to the outbox (TeamsPlatform.send_limits), which paces every send through
it; a conversation is known only once its reference is looked up, so the platform paces
those itself. A short wait is slept through; a longer one goes back to the outbox as a rate
limit, so the sender does not sit idle for it.
"""

import time
from collections.abc import Callable

from bot.delivery.pacing import Limits, Pacer, per_second

CONVERSATION: Limits = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
TENANT: Limits = per_second(50)


class ConversationPacer:
    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self.pacer = Pacer(now)

    def wait_needed(self, conversation: str) -> float:
        """Seconds until one more message may go to `conversation`."""
        return self.pacer.wait_needed(conversation, CONVERSATION)

    async def admit(self, conversation: str) -> None:
        """Wait for a short gap, or raise RateLimited for a long one; the send is counted."""
        await self.pacer.admit(conversation, CONVERSATION)

"""Interactions this process has received but not yet answered.

A reply to an interaction goes through the outbox as a webhook follow-up, which Discord only
accepts once the interaction has been acknowledged (deferred or answered with a modal). The
outbox may pick the reply up before the acknowledgement has gone out, so the platform waits
here for it. Tokens of other processes are unknown here and are not waited for.
"""

import asyncio
import contextlib

# Discord allows 3 s for the acknowledgement; waiting longer cannot help.
ACK_WAIT_SECONDS = 3.0


class Acks:
    def __init__(self) -> None:
        self._pending: dict[str, asyncio.Event] = {}

    def expect(self, token: str) -> None:
        self._pending.setdefault(token, asyncio.Event())

    def done(self, token: str) -> None:
        event = self._pending.pop(token, None)
        if event is not None:
            event.set()

    async def wait(self, token: str) -> None:
        event = self._pending.get(token)
        if event is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), ACK_WAIT_SECONDS)

"""Garbage collection tuned for a long-running server.

CPython's full collection walks every tracked object, and after startup that is hundreds of
thousands of them (SQLAlchemy, slack-bolt, the Agents SDK, discord.py), all alive for good.
Under load a full collection then stops the event loop for 100-800 ms, and every request that
arrives meanwhile waits: that was the whole tail of the Slack ack latency (benchmarks/README.md).
Freezing what startup built moves it out of every later collection; a larger first
generation makes young collections rarer, as request-scoped garbage mostly dies young anyway.
While the modules load, no collection runs at all: each would walk the objects built so far,
all still alive, and together they took a tenth to a quarter of the imports' time.
"""

import gc

YOUNG_THRESHOLD = 10_000


def hold_during_startup() -> None:
    """Call before the start imports and builds the bot; `settle_after_startup` ends it."""
    gc.disable()


def settle_after_startup() -> None:
    """Call once the bot is built and before it takes traffic (only the probes answer while
    it loads: bot/wiring/serve.py)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    gc.enable()

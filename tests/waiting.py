"""Waiting in tests: on something becoming true, never on how fast the machine is.

A busy machine (a shared CI runner, a laptop building something else) makes everything slower,
so a test never gives up after a few seconds. SAFETY only keeps a broken test from hanging the
suite for ever: it is minutes, far beyond any normal wait, and never a measurement.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable

SAFETY = 600.0
_PAUSE = 0.01


async def until(check: Callable[[], object], what: str) -> None:
    """Wait (in the event loop) until `check()` is truthy."""
    deadline = time.monotonic() + SAFETY
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {SAFETY:.0f} s")
        await asyncio.sleep(_PAUSE)


async def until_async(check: Callable[[], Awaitable[object]], what: str) -> None:
    """Wait until the awaited `check()` is truthy."""
    deadline = time.monotonic() + SAFETY
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {SAFETY:.0f} s")
        await asyncio.sleep(_PAUSE)


def wait_until(check: Callable[[], object], what: str) -> None:
    """Wait (blocking) until `check()` is truthy."""
    deadline = time.monotonic() + SAFETY
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {SAFETY:.0f} s")
        time.sleep(_PAUSE * 10)

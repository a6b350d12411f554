import asyncio

import pytest

from bot import sqlite_turn
from bot.sqlite_turn import SqliteTurn
from tests.waiting import SAFETY


async def test_transactions_take_turns_in_arrival_order() -> None:
    turn = SqliteTurn()
    log: list[str] = []

    async def transaction(name: str) -> None:
        async with turn.take():
            log.append(f"{name} begins")
            await asyncio.sleep(0.01)
            log.append(f"{name} ends")

    await asyncio.gather(transaction("a"), transaction("b"), transaction("c"))
    assert log == ["a begins", "a ends", "b begins", "b ends", "c begins", "c ends"]


async def test_a_session_inside_another_in_the_same_task_does_not_wait_for_itself() -> None:
    turn = SqliteTurn()
    async with turn.take():
        async with asyncio.timeout(SAFETY):
            async with turn.take():
                inner = True
    assert inner


async def test_a_turn_that_never_comes_fails_like_a_busy_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sqlite_turn, "BUSY_TIMEOUT_SECONDS", 0.05)
    turn = SqliteTurn()
    held = asyncio.Event()
    release = asyncio.Event()

    async def long_transaction() -> None:
        async with turn.take():
            held.set()
            await release.wait()

    holder = asyncio.create_task(long_transaction())
    await held.wait()
    with pytest.raises(TimeoutError, match="stayed busy"):
        async with turn.take():
            pass
    release.set()
    await holder
    async with turn.take():
        pass  # the turn is free again once the long transaction ends


async def test_an_urgent_transaction_goes_before_those_waiting() -> None:
    """Storing inbound events before their ack must not queue behind a burst's work."""
    turn = SqliteTurn()
    log: list[str] = []
    held, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with turn.take():
            held.set()
            await release.wait()
            log.append("first")

    async def transaction(name: str, urgent: bool) -> None:
        async with turn.take(urgent=urgent):
            log.append(name)

    holder = asyncio.create_task(first())
    await held.wait()
    waiting = [
        asyncio.create_task(transaction("work 1", False)),
        asyncio.create_task(transaction("work 2", False)),
        asyncio.create_task(transaction("store", True)),
    ]
    await asyncio.sleep(0)  # let them all queue
    release.set()
    await asyncio.gather(holder, *waiting)
    assert log == ["first", "store", "work 1", "work 2"]

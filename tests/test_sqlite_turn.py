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

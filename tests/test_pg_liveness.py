"""A pooled PostgreSQL connection the server closed is replaced at checkout, with no statement
failing and no round trip to ask the server first (bot/store/pg_liveness.py)."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.db import make_engine
from tests.conftest import PG_DSN, PG_URL, _require_postgres


@pytest.fixture
def postgres() -> None:
    _require_postgres()


@pytest.fixture
async def engine(postgres: None) -> AsyncIterator[AsyncEngine]:
    # One connection and no overflow: every checkout is of the same pooled connection.
    made = make_engine(PG_URL, 1, max_overflow=0)
    yield made
    await made.dispose()


async def backend(engine: AsyncEngine) -> tuple[int, Any]:
    """The server process behind the connection a checkout gives, and asyncpg's connection."""
    async with engine.connect() as connection:
        pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        raw = await connection.get_raw_connection()
        return int(pid), raw.driver_connection


async def test_a_connection_the_server_ended_is_replaced_before_use(engine: AsyncEngine) -> None:
    first, driver = await backend(engine)
    ended = asyncio.Event()
    driver.add_termination_listener(lambda _connection: ended.set())
    admin = await asyncpg.connect(PG_DSN)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
    finally:
        await admin.close()
    await ended.wait()  # the end of its socket has been read
    second, _ = await backend(engine)
    assert second != first


async def test_a_living_connection_is_used_again_without_asking_the_server(
    engine: AsyncEngine,
) -> None:
    first, driver = await backend(engine)
    sent: list[str] = []
    driver.add_query_logger(lambda logged: sent.append(logged.query))
    second, _ = await backend(engine)
    assert second == first
    # The statement's own transaction only (its prepared statement is not logged); a ping
    # would be a transaction of its own before it.
    assert sent == ["BEGIN;", "ROLLBACK;"]

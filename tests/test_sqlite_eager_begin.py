"""The intake's SQLite transactions: a BEGIN that waits for another process's lock by asking
often, statements that each commit alone, and connections kept open between them."""

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

from bot.store import sqlite_eager_begin
from bot.store.db import Database, make_engine
from bot.store.intake_store import IntakeStore


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[tuple[IntakeStore, Path]]:
    path = tmp_path / "eager.db"
    db = Database(make_engine(f"sqlite+aiosqlite:///{path}"))
    found = IntakeStore(db)
    await found.run(lambda connection: connection.execute(text("CREATE TABLE n (v INTEGER)")))
    yield found, path
    await found.close()
    await db.dispose()


def _insert(connection: Connection) -> None:
    connection.execute(text("INSERT INTO n VALUES (1)"))


def _count(path: Path) -> int:
    with sqlite3.connect(path) as other:
        return int(other.execute("SELECT count(*) FROM n").fetchone()[0])


async def test_a_begin_waits_for_another_process_and_goes_on_once_it_commits(
    store: tuple[IntakeStore, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    intake, path = store
    tried = threading.Event()

    def pause() -> None:
        tried.set()

    monkeypatch.setattr(sqlite_eager_begin, "_pause", pause)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    running = asyncio.ensure_future(intake.run(_insert))
    await asyncio.to_thread(tried.wait)
    assert not running.done()
    holder.execute("COMMIT")
    holder.close()
    await running
    assert _count(path) == 1


async def test_a_begin_gives_up_after_the_busy_timeout(
    store: tuple[IntakeStore, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    intake, path = store
    monkeypatch.setattr(sqlite_eager_begin, "BUSY_TIMEOUT_SECONDS", 0)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await intake.run(_insert)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _count(path) == 0


@pytest.mark.parametrize("each_alone", [True, False])
async def test_statements_run_alone_commit_each_on_its_own(
    store: tuple[IntakeStore, Path], each_alone: bool
) -> None:
    """Seen from another connection before the next statement: committed already, so the
    file's write lock was not held between them."""
    intake, path = store

    def insert_then_look(connection: Connection) -> int:
        _insert(connection)
        return _count(path)

    assert await intake.run(insert_then_look, each_alone=each_alone) == (1 if each_alone else 0)
    assert _count(path) == 1


def _make_temporary(connection: Connection) -> None:
    connection.execute(text("CREATE TEMP TABLE mine (v INTEGER)"))


def _temporary_count(connection: Connection) -> int:
    return int(connection.execute(text("SELECT count(*) FROM temp.mine")).scalar_one())


@pytest.mark.parametrize("each_alone", [True, False])
async def test_the_connection_is_kept_until_a_statement_fails(
    store: tuple[IntakeStore, Path], each_alone: bool
) -> None:
    """A temporary table lives as long as its connection: seen by the next statement, it
    was run on the same one; after a failure the next runs on a new one, which works."""
    intake, _ = store
    await intake.run(_make_temporary, each_alone=each_alone)
    assert await intake.run(_temporary_count, each_alone=each_alone) == 0

    def fail(connection: Connection) -> None:
        connection.execute(text("SELECT * FROM nowhere"))

    with pytest.raises(OperationalError, match="nowhere"):
        await intake.run(fail, each_alone=each_alone)
    with pytest.raises(OperationalError, match="mine"):
        await intake.run(_temporary_count, each_alone=each_alone)
    await intake.run(_insert, each_alone=each_alone)

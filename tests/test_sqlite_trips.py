"""The one-trip SQLite driver gives the rows aiosqlite would, however they are read."""

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text

from bot.store import sqlite_trips
from bot.store.db import Database, make_engine


async def _filled(tmp_path: Path) -> sqlite_trips.OneTripConnection:
    connection = await sqlite_trips.connect(str(tmp_path / "trips.db"), 5)
    cursor = await connection.cursor()
    await cursor.execute("create table n (v integer)")
    await cursor.executemany("insert into n values (?)", [(v,) for v in range(10)])
    return connection


async def test_rows_come_whole_one_at_a_time_or_in_pieces(tmp_path: Path) -> None:
    connection = await _filled(tmp_path)
    try:
        cursor = await connection.cursor()
        await cursor.execute("select v from n order by v")
        assert [tuple(r) for r in await cursor.fetchall()] == [(v,) for v in range(10)]
        await cursor.execute("select v from n order by v")
        assert tuple(await cursor.fetchone() or ()) == (0,)
        assert [r[0] for r in await cursor.fetchmany(3)] == [1, 2, 3]
        assert [r[0] for r in await cursor.fetchall()] == [4, 5, 6, 7, 8, 9]
        assert await cursor.fetchone() is None
        await cursor.close()
    finally:
        await connection.close()


async def test_a_statement_without_rows_reports_its_count(tmp_path: Path) -> None:
    connection = await _filled(tmp_path)
    try:
        cursor = await connection.cursor()
        await cursor.execute("update n set v = v + 1 where v < ?", [4])
        assert cursor.rowcount == 4
        assert await cursor.fetchall() == []
    finally:
        await connection.close()


async def test_the_engine_uses_it_with_the_usual_pragmas(tmp_path: Path) -> None:
    db = Database(make_engine(f"sqlite+aiosqlite:///{tmp_path}/engine.db"))
    try:
        async with db.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert isinstance(raw.driver_connection, sqlite_trips.OneTripConnection)
            mode = (await connection.execute(text("pragma journal_mode"))).scalar()
            keys = (await connection.execute(text("pragma foreign_keys"))).scalar()
        assert (mode, keys) == ("wal", 1)
    finally:
        await db.dispose()


async def _threads_of_statements(db: Database, *, brief: bool) -> set[int]:
    """The threads SQLite ran this transaction's statements on, asked of SQLite itself."""
    async with db.session(brief=brief) as session:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert isinstance(driver, sqlite_trips.OneTripConnection)
        driver._conn.create_function("thread_id", 0, threading.get_ident)
        rows = [(await session.execute(text("select thread_id()"))).scalar() for _ in range(3)]
    return {int(row) for row in rows if row is not None}


async def test_brief_transactions_run_in_place_others_on_the_thread(tmp_path: Path) -> None:
    db = Database(make_engine(f"sqlite+aiosqlite:///{tmp_path}/brief.db"))
    try:
        assert await _threads_of_statements(db, brief=True) == {threading.get_ident()}
        elsewhere = await _threads_of_statements(db, brief=False)
        assert len(elsewhere) == 1 and threading.get_ident() not in elsewhere
    finally:
        await db.dispose()


async def test_a_brief_transaction_makes_one_trip_its_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BEGIN takes the free lock in place; the pool's rollback after the commit has nothing
    to take back: only the COMMIT, which waits for the disk, goes to the thread."""
    db = Database(make_engine(f"sqlite+aiosqlite:///{tmp_path}/trips.db"))
    trips: list[str] = []
    run = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any) -> Any:
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await run(self, fn, *args)

    try:
        async with db.session() as session:
            await session.execute(text("create table n (v integer)"))
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        async with db.session(brief=True) as session:
            await session.execute(text("insert into n values (1)"))
        assert trips == ["commit"]
        async with db.session(brief=True) as session:
            assert (await session.execute(text("select count(*) from n"))).scalar() == 1
    finally:
        await db.dispose()


async def test_a_begin_waits_on_the_thread_for_another_process_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection (a CLI command's process) holds the write lock: the BEGIN waits for
    it off the event loop, which goes on meanwhile, and starts once the lock is released."""
    path = tmp_path / "locked.db"
    db = Database(make_engine(f"sqlite+aiosqlite:///{path}"))
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        async with db.session() as session:
            await session.execute(text("create table n (v integer)"))
        other.execute("BEGIN IMMEDIATE")
        written, refused = asyncio.Event(), asyncio.Event()
        tried = sqlite_trips._begun_at_once

        def try_at_once(cursor: sqlite3.Cursor, sql: str, busy_milliseconds: int) -> bool:
            begun = tried(cursor, sql, busy_milliseconds)
            if not begun:
                refused.set()
            return begun

        monkeypatch.setattr(sqlite_trips, "_begun_at_once", try_at_once)

        async def write() -> None:
            async with db.session(brief=True) as session:
                await session.execute(text("insert into n values (2)"))
                written.set()

        writing = asyncio.create_task(write())
        await refused.wait()  # the loop runs this task while the BEGIN waits on the thread
        assert not written.is_set()
        other.execute("COMMIT")
        await writing
        assert other.execute("select v from n").fetchall() == [(2,)]
    finally:
        other.close()
        await db.dispose()

"""The one-trip SQLite driver gives the rows aiosqlite would, however they are read."""

import threading
from pathlib import Path

from sqlalchemy import text

from bot import sqlite_trips
from bot.db import Database, make_engine


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

"""Engines on a SQLite file shared with other processes: one whose BEGIN IMMEDIATE asks again
every fraction of a millisecond while another process holds the write lock, and one whose
statements each commit on their own.

SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ms and longer between tries: with a
front storing deliveries and a worker claiming them in the same intake file, a front's insert
waited up to 60 ms behind a claim (benchmarks/README.md, Slack ingest). Asking often costs a
few microseconds a try, on the intake's own thread.
"""

import sqlite3
import time
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event

from bot.store.db import _sqlite_pragmas
from bot.store.sqlite_turn import BUSY_TIMEOUT_SECONDS

RETRY_SECONDS = 0.0002


def eager_engine(url: URL) -> Engine:
    """Transactions that take the write lock at BEGIN, asking for it every RETRY_SECONDS
    until the busy timeout has passed (then SQLITE_BUSY is raised, as the busy handler
    would)."""
    engine = _engine(url)
    event.listen(engine, "connect", _without_busy_handler)
    event.listen(engine, "begin", begin_immediate)
    return engine


def each_alone_engine(url: URL) -> Engine:
    """No BEGIN: SQLite takes the write lock for each statement and commits it within the
    one call that runs it, waiting in its busy handler while another process holds it."""
    return _engine(url)


def _engine(url: URL) -> Engine:
    engine = create_engine(url, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _without_busy_handler(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout=0").close()


def begin_immediate(connection: Connection) -> None:
    raw: Any = connection.connection.dbapi_connection
    _until_begun(raw, time.monotonic() + BUSY_TIMEOUT_SECONDS)


def _until_begun(raw: sqlite3.Connection, deadline: float) -> None:
    while True:
        try:
            raw.execute("BEGIN IMMEDIATE").close()
            return
        except sqlite3.OperationalError as failure:
            if failure.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        _pause()


def _pause() -> None:
    time.sleep(RETRY_SECONDS)

"""A BEGIN IMMEDIATE that asks again every fraction of a millisecond while another process
holds the write lock of a SQLite file.

SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ms and longer between tries: with a
front storing deliveries and a worker claiming them in the same intake file, a front's insert
waited up to 60 ms behind a claim (benchmarks/README.md, Slack ingest). Asking often costs a
few microseconds a try, on the intake's own thread.
"""

import sqlite3
import time
from typing import Any

from sqlalchemy import Connection

from bot.store.sqlite_turn import BUSY_TIMEOUT_SECONDS

RETRY_SECONDS = 0.0002
# An execution option: the connection runs its statements without BEGIN, each committing
# on its own (bot/store/intake_store.py).
EACH_ALONE = "each_statement_alone"


def begin_immediate(connection: Connection) -> None:
    """SQLAlchemy's `begin` event: BEGIN IMMEDIATE, tried until the lock is free or the busy
    timeout has passed (then SQLITE_BUSY is raised, as the busy handler would); nothing for a
    connection whose statements each commit alone, which wait in SQLite's busy handler."""
    if connection.get_execution_options().get(EACH_ALONE):
        return
    raw: Any = connection.connection.dbapi_connection
    raw.execute("PRAGMA busy_timeout=0").close()
    try:
        _until_begun(raw, time.monotonic() + BUSY_TIMEOUT_SECONDS)
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}").close()


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

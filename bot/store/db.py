"""The async engine and sessions: aiosqlite by default, asyncpg for PostgreSQL."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from functools import partial
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.store import sqlite_trips
from bot.store.pg_liveness import replace_closed
from bot.store.sqlite_turn import BUSY_TIMEOUT_SECONDS, SqliteTurn
from bot.store.write_count import count_writes


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(
    url: str,
    pool_size: int = 5,
    *,
    max_overflow: int | None = None,
    application_name: str = "rapport",
    **kwargs: Any,
) -> AsyncEngine:
    """An engine; on PostgreSQL a pool of `pool_size` (+ `max_overflow`, default as many).

    A pooled connection the server closed (a restart, a failover, pg_terminate_backend) is
    replaced at checkout instead of failing a request (bot/store/pg_liveness.py).
    The application name shows each replica's connections in pg_stat_activity.
    hide_parameters keeps the values out of a failed statement's error: they are people's
    words and ids, and the error is logged (docs/operations/logs.md).
    """
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        path = make_url(url).database or ":memory:"
        kwargs.setdefault(
            "async_creator", partial(sqlite_trips.connect, path, BUSY_TIMEOUT_SECONDS)
        )
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        count_writes(engine.sync_engine)
        return engine
    connect_args = dict(kwargs.pop("connect_args", {}))
    server_settings = {"application_name": application_name[:63]}
    connect_args["server_settings"] = server_settings | connect_args.get("server_settings", {})
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        connect_args=connect_args,
        **kwargs,
    )
    replace_closed(engine.sync_engine)
    count_writes(engine.sync_engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while the sender writes; foreign keys are off by default in SQLite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    # Deleted rows are zeroed, not left in free pages: a moved pulse ballot or a sent thanks
    # must not be readable from the file afterwards.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _sqlite_begin_immediate(conn: Any) -> None:
    # Take the write lock at BEGIN so two writers queue instead of failing mid-transaction.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.url = str(engine.url)
        self._sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        self._sqlite_turn = SqliteTurn() if engine.dialect.name == "sqlite" else None

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @asynccontextmanager
    async def session(self, *, brief: bool = False) -> AsyncIterator[AsyncSession]:
        """A session whose transaction commits on success and rolls back on any error.

        `brief`: the transaction is short point reads and writes (handling an event), which
        SQLite then runs without a trip to the driver's thread (bot/store/sqlite_trips.py).
        """
        statements = sqlite_trips.brief() if brief else nullcontext()
        async with self._turn(), self._sessions() as session:
            with statements:
                async with session.begin():
                    yield session

    def _turn(self) -> AbstractAsyncContextManager[None]:
        return self._sqlite_turn.take() if self._sqlite_turn is not None else nullcontext()

    async def dispose(self) -> None:
        await self.engine.dispose()


@asynccontextmanager
async def session_at(url: str) -> AsyncIterator[AsyncSession]:
    """One transaction on a database of its own, for one-shot commands (seed, import)."""
    db = Database(make_engine(url))
    try:
        async with db.session() as session:
            yield session
    finally:
        await db.dispose()

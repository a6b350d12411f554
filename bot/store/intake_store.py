"""Where the intake keeps its rows, and its statements, each run as one transaction.

Each statement of the intake is a plain function of a synchronous connection. On PostgreSQL
it runs over the bot's async engine (AsyncConnection.run_sync). On SQLite it runs in a thread
of the intake's own, BEGIN to COMMIT in one trip: an ack then waits for one wake-up of the
event loop, not one per statement, and the loop is busy with the work behind earlier acks.
The thread keeps its connections to the intake's file open: taking one from a pool and
giving it back (with its rollback) cost as much as the insert.

Connections, not ORM sessions: the statements are Core statements, and a session around
each cost more than the insert itself (773 against 354 µs of CPU an insert of one row on
SQLite), on the thread every ack waits for.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from typing import Any, TypeVar

from sqlalchemy import (
    URL,
    Connection,
    bindparam,
    case,
    delete,
    func,
    make_url,
    or_,
    update,
)
from sqlmodel import col, select

from bot.models import InboundEvent
from bot.store.db import Database, make_engine
from bot.store.db_upsert import ignoring_insert
from bot.store.sqlite_eager_begin import each_alone_engine, eager_engine

T = TypeVar("T")
Key = tuple[str, str]

Statement = Callable[[Connection], T]


@dataclass(frozen=True)
class Held:
    """A stored row this process holds the lease of."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def intake_url(url: str) -> str:
    """Where the inbound events of the database at `url` are kept: the same PostgreSQL
    database, or a SQLite file beside the bot's (`rapport.db` -> `rapport.intake.db`)."""
    parsed = make_url(url)
    path = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or path in ("", ":memory:"):
        return url
    stem, dot, suffix = path.rpartition(".")
    side = f"{stem}.intake.{suffix}" if dot and "/" not in suffix else f"{path}.intake"
    return parsed.set(database=side).render_as_string(hide_password=False)


def intake_database(db: Database) -> Database:
    """The database holding `db`'s inbound events: `db` itself unless it is a SQLite file."""
    url = intake_url(db.url)
    return db if url == db.url else Database(make_engine(url))


async def forget_waiting(db: Database, platform: str, workspace: str, actor: str) -> int:
    """Delete the inbound events of `actor` still waiting (an erasure): they hold their words
    and would bring them back once handled."""
    store = intake_database(db)
    try:
        await create_table(store)
        async with store.session() as session:
            found = await session.exec(
                delete(InboundEvent).where(
                    col(InboundEvent.platform) == platform,
                    col(InboundEvent.workspace) == workspace,
                    col(InboundEvent.actor) == actor,
                )
            )
            return int(found.rowcount or 0)
    finally:
        if store is not db:
            await store.dispose()


async def create_table(db: Database) -> None:
    """The table in a SQLite file of the intake's own (in a PostgreSQL database the
    migrations made it)."""
    if db.is_postgres:
        return
    async with db.engine.begin() as connection:
        table = InboundEvent.metadata.tables[InboundEvent.__tablename__]
        await connection.run_sync(InboundEvent.metadata.create_all, [table])


class IntakeStore:
    def __init__(self, db: Database) -> None:
        """`db` holds the inbound events: the bot's PostgreSQL database or the intake's file."""
        self.db = db
        self.is_postgres = db.is_postgres
        self._file: _File | None = None
        self._thread: ThreadPoolExecutor | None = None
        if not self.is_postgres:
            self._file = _File(make_url(db.url).set(drivername="sqlite"))
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="intake")
        self._ready = False

    async def run(self, statement: "Statement[T]", *, each_alone: bool = False) -> T:
        """`statement` in a transaction of its own, committed when it returns; on SQLite,
        with `each_alone`, each of its statements commits on its own (see `_File`)."""
        if not self._ready:
            await self._in_transaction(_create_table, each_alone=False)
            self._ready = True
        return await self._in_transaction(statement, each_alone=each_alone)

    async def _in_transaction(self, statement: "Statement[T]", *, each_alone: bool) -> T:
        if self._thread is None or self._file is None:
            async with self.db.engine.begin() as connection:
                return await connection.run_sync(statement)
        loop = asyncio.get_running_loop()
        committed = partial(self._file.committed, statement, each_alone)
        return await loop.run_in_executor(self._thread, committed)

    async def close(self) -> None:
        if self._thread is not None and self._file is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, self._file.close)
            self._thread.shutdown()


class _File:
    """The intake's SQLite file, used by one thread only, over a connection kept open for
    each way of committing.

    `each_alone`: no BEGIN, so that SQLite takes the write lock for each statement and
    commits it within the one call that runs it. Between the statements of a transaction
    the thread waits for the interpreter lock, and in a busy worker that held the file's
    write lock for 30 ms and more, while the fronts' acks waited (benchmarks/README.md)."""

    def __init__(self, url: URL) -> None:
        self._engines = {False: eager_engine(url), True: each_alone_engine(url)}
        self._open: dict[bool, Connection] = {}

    def committed(self, statement: "Statement[T]", each_alone: bool) -> T:
        connection = self._open.get(each_alone)
        if connection is None:
            connection = self._open[each_alone] = self._engines[each_alone].connect()
        try:
            with connection.begin():
                return statement(connection)
        except BaseException:
            # Not kept after a failure: a broken connection would fail every later statement.
            del self._open[each_alone]
            connection.invalidate()
            connection.close()
            raise

    def close(self) -> None:
        for connection in self._open.values():
            connection.close()
        self._open.clear()
        for engine in self._engines.values():
            engine.dispose()


def _create_table(connection: Connection) -> None:
    """In the intake's SQLite file (in PostgreSQL the migrations made it)."""
    if connection.dialect.name == "sqlite":
        table = InboundEvent.metadata.tables[InboundEvent.__tablename__]
        InboundEvent.metadata.create_all(connection, [table])


@cache
def _inserting(dialect: str) -> Any:
    """Built once: building a statement cost more than the insert (bot/store/db_upsert.py)."""
    return ignoring_insert(dialect, InboundEvent).returning(
        col(InboundEvent.id), col(InboundEvent.platform), col(InboundEvent.event_id)
    )


_DELETING = delete(InboundEvent).where(col(InboundEvent.id).in_(bindparam("ids", expanding=True)))


def insert_rows(
    rows: list[dict[str, Any]], postgres: bool, connection: Connection
) -> dict[Key, int]:
    """Insert what is not stored yet; the ids of the rows that went in, by key. Values as
    parameters: one statement compiled once, whatever the group's size."""
    statement = _inserting("postgresql" if postgres else "sqlite")
    found: list[Any] = list(connection.execute(statement, rows).all())
    return {(str(platform), str(event_id)): int(row_id) for row_id, platform, event_id in found}


def delete_rows(ids: list[int], connection: Connection) -> None:
    connection.execute(_DELETING, {"ids": ids})


def retry_row(row_id: int, when: datetime, connection: Connection) -> None:
    connection.execute(
        update(InboundEvent)
        .where(col(InboundEvent.id) == row_id)
        .values(lease_owner=None, lease_until=when)
    )


def give_back(owner: str, connection: Connection) -> None:
    connection.execute(
        update(InboundEvent)
        .where(col(InboundEvent.lease_owner) == owner)
        .values(lease_owner=None, lease_until=None)
    )


@dataclass(frozen=True)
class Claim:
    """With `renew`, renew `owner`'s leases; then claim up to `room` rows whose lease ran
    out or whose retry is due, for `owner` until `until`.

    Each step is one statement, right as it stands when it commits alone (SQLite,
    `_File`): the claim marks and returns its rows in one UPDATE."""

    owner: str
    now: datetime
    until: datetime
    room: int
    max_attempts: int
    postgres: bool
    renew: bool

    def __call__(self, connection: Connection) -> list[Held]:
        if self.renew:
            connection.execute(
                update(InboundEvent)
                .where(col(InboundEvent.lease_owner) == self.owner)
                .values(lease_until=self.until)
            )
        if self.room <= 0:
            return []
        lease = col(InboundEvent.lease_until)
        claimable = (
            select(InboundEvent.id)
            .where(
                or_(lease.is_(None), lease <= self.now),
                col(InboundEvent.attempts) < self.max_attempts,
            )
            .order_by(col(InboundEvent.id))
            .limit(self.room)
        )
        if self.postgres:
            claimable = claimable.with_for_update(skip_locked=True)
        claimed = connection.execute(
            update(InboundEvent)
            .where(col(InboundEvent.id).in_(claimable.scalar_subquery()))
            .values(
                lease_owner=self.owner, lease_until=self.until, attempts=InboundEvent.attempts + 1
            )
            .returning(
                col(InboundEvent.id),
                col(InboundEvent.kind),
                col(InboundEvent.payload),
                col(InboundEvent.attempts),
            )
        ).all()
        return sorted(
            (
                Held(int(row_id), str(kind), dict(payload), int(attempts))
                for row_id, kind, payload, attempts in claimed
            ),
            key=lambda held: held.id,
        )


def backlog(max_attempts: int, connection: Connection) -> tuple[int, int]:
    """How many stored inbound events wait to be handled, and how many were left dead."""
    dead = col(InboundEvent.attempts) >= max_attempts
    counted = select(
        func.count(), func.coalesce(func.sum(case((dead, 1), else_=0)), 0)
    ).select_from(InboundEvent)
    total, left_dead = connection.execute(counted).one()
    return int(total) - int(left_dead), int(left_dead)

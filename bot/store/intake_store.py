"""Where the intake keeps its rows, and its statements, each run as one transaction.

Each statement of the intake is a plain function of a synchronous connection. On PostgreSQL
it runs over the bot's async engine (AsyncConnection.run_sync). On SQLite it runs in a thread
of the intake's own, on a connection of its own to the intake's file, BEGIN to COMMIT in one
trip: an ack then waits for one wake-up of the event loop, not one per statement, and the
loop is busy with the work behind earlier acks.

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
    Connection,
    Engine,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    func,
    make_url,
    or_,
    update,
)
from sqlmodel import col, select

from bot.models import InboundEvent
from bot.store.db import Database, _sqlite_pragmas, make_engine
from bot.store.db_upsert import ignoring_insert
from bot.store.sqlite_eager_begin import EACH_ALONE, begin_immediate

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
        self._engine: Engine | None = None
        self._thread: ThreadPoolExecutor | None = None
        if not self.is_postgres:
            url = make_url(db.url).set(drivername="sqlite")
            self._engine = create_engine(url, hide_parameters=True)
            event.listen(self._engine, "connect", _sqlite_pragmas)
            event.listen(self._engine, "begin", begin_immediate)
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="intake")
        self._ready = False

    async def run(self, statement: "Statement[T]", *, each_alone: bool = False) -> T:
        """`statement` in a transaction of its own, committed when it returns; on SQLite,
        with `each_alone`, each of its statements commits on its own (see `_committed`)."""
        if not self._ready:
            await self._in_transaction(_create_table, each_alone=False)
            self._ready = True
        return await self._in_transaction(statement, each_alone=each_alone)

    async def _in_transaction(self, statement: "Statement[T]", *, each_alone: bool) -> T:
        if self._thread is None or self._engine is None:
            async with self.db.engine.begin() as connection:
                return await connection.run_sync(statement)
        loop = asyncio.get_running_loop()
        committed = partial(_committed, self._engine, statement, each_alone)
        return await loop.run_in_executor(self._thread, committed)

    async def close(self) -> None:
        if self._thread is not None and self._engine is not None:
            await asyncio.get_running_loop().run_in_executor(self._thread, self._engine.dispose)
            self._thread.shutdown()


def _committed(engine: Engine, statement: "Statement[T]", each_alone: bool) -> T:
    """`each_alone`: no BEGIN, so that SQLite takes the write lock for each statement and
    commits it within the one call that runs it. Between the statements of a transaction
    the thread waits for the interpreter lock, and in a busy worker that held the file's
    write lock for 30 ms and more, while the fronts' acks waited (benchmarks/README.md)."""
    with engine.connect() as connection:
        if each_alone:
            connection.execution_options(**{EACH_ALONE: True})
        with connection.begin():
            return statement(connection)


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
    """Renew `owner`'s leases; then claim up to `room` rows whose lease ran out or whose
    retry is due, for `owner` until `until`.

    Each step is one statement, right as it stands when it commits alone (SQLite,
    `_committed`): the claimed rows are marked with a claimer of their own, read, and then
    given to `owner`. A crash in between leaves them leased, taken over when it runs out."""

    owner: str
    now: datetime
    until: datetime
    room: int
    max_attempts: int
    postgres: bool

    def __call__(self, connection: Connection) -> list[Held]:
        leased_to = col(InboundEvent.lease_owner)
        connection.execute(
            update(InboundEvent).where(leased_to == self.owner).values(lease_until=self.until)
        )
        if self.room <= 0:
            return []
        claimer = f"{self.owner}?"
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
            .values(lease_owner=claimer, lease_until=self.until, attempts=InboundEvent.attempts + 1)
        )
        if not claimed.rowcount:
            return []
        rows = connection.execute(
            select(InboundEvent.id, InboundEvent.kind, InboundEvent.payload, InboundEvent.attempts)
            .where(leased_to == claimer)
            .order_by(col(InboundEvent.id))
        ).all()
        connection.execute(
            update(InboundEvent).where(leased_to == claimer).values(lease_owner=self.owner)
        )
        return [
            Held(int(row_id), str(kind), dict(payload), int(attempts))
            for row_id, kind, payload, attempts in rows
        ]


def backlog(max_attempts: int, connection: Connection) -> tuple[int, int]:
    """How many stored inbound events wait to be handled, and how many were left dead."""
    dead = col(InboundEvent.attempts) >= max_attempts
    counted = select(
        func.count(), func.coalesce(func.sum(case((dead, 1), else_=0)), 0)
    ).select_from(InboundEvent)
    total, left_dead = connection.execute(counted).one()
    return int(total) - int(left_dead), int(left_dead)

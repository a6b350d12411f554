"""The outbox rows a transaction queues, inserted together just before it commits.

Handling a kudos queues two or three messages, and the ORM inserted each row with a
statement of its own (it asks for every new row's id, which SQLite gives one row at a
time): a sixth of an event's statements and more of its CPU (benchmarks/README.md,
Dispatch). Nothing reads a message's row in the transaction that queued it, so the rows wait
in the session until it, or the savepoint they were queued in, commits, and then go in one
executemany.
"""

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import OutboxMessage

_PENDING = "outbox_pending_rows"
# Built once: building a statement cost more than the insert (bot/store/db_upsert.py).
_INSERT = insert(OutboxMessage)


def queue(session: AsyncSession, row: dict[str, Any]) -> None:
    session.info.setdefault(_PENDING, []).append(row)


def drop(session: AsyncSession, keys: list[str]) -> None:
    """Forget rows queued under `keys` that are not written yet: the handler that queued them
    failed, and its savepoint is rolled back."""
    pending = session.info.get(_PENDING)
    if pending and keys:
        gone = set(keys)
        pending[:] = [row for row in pending if row["key"] not in gone]


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    # Runs for savepoints as well as for the transaction; the caller's greenlet lets a
    # synchronous execute reach the async driver.
    rows = session.info.pop(_PENDING, None)
    if rows:
        session.connection().execute(_INSERT, rows)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(_PENDING, None)

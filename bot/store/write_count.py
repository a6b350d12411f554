"""How many statements a connection has run that may have written, for a caller to tell
whether some work left anything in the transaction.

A handler that refuses after reading only (the daily allowance spent, a typo) leaves the
transaction as it found it, and the events handled with it need not be rolled back and run
again (Bot._run_quickly). Anything but a plain SELECT counts, ORM flushes included: a
statement the count misreads only costs that rollback.
"""

from typing import Any

from sqlalchemy import Engine, event
from sqlmodel.ext.asyncio.session import AsyncSession

_WRITES = "statements_written"


def count_writes(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _count)


def _count(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WRITES] = conn.info.get(_WRITES, 0) + 1


async def writes(session: AsyncSession) -> int | None:
    """The count on the connection of `session`'s transaction (it only grows); None for an
    engine made without the count (not by bot/store/db.py), where anything may have written."""
    connection = await session.connection()
    if not event.contains(connection.sync_engine, "before_cursor_execute", _count):
        return None
    return int(connection.info.get(_WRITES, 0))

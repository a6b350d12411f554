"""INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""

from functools import cache
from typing import TYPE_CHECKING, Any

from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite


def dialect_insert(dialect: str, table: type[SQLModel]) -> "postgresql.Insert | sqlite.Insert":
    """INSERT into `table` in the dialect's own form, the one with ON CONFLICT. Each dialect's
    module is imported the first time it is used, so a bot on SQLite never loads PostgreSQL's
    (a large part of SQLAlchemy's import)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


@cache
def ignoring_insert(dialect: str, model: type[SQLModel]) -> "postgresql.Insert | sqlite.Insert":
    """INSERT that skips rows breaking a unique constraint, values as parameters; built once:
    building a statement and its cache key cost more than SQLite's execution of it
    (benchmarks/README.md, Slack ingest)."""
    return dialect_insert(dialect, model).on_conflict_do_nothing()


async def insert_ignore(
    session: AsyncSession, model: type[SQLModel], rows: list[dict[str, Any]]
) -> int:
    """Insert rows, silently skipping any that break a unique constraint; return how many went in.

    On PostgreSQL a concurrent insert of the same key waits for the other transaction, so
    exactly one of two racing writers wins.
    """
    if not rows:
        return 0
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    if len(rows) == 1:
        # Values as parameters, not in the statement: SQLAlchemy then compiles it once and
        # reuses it, where a statement with its values inside is compiled on every call.
        connection = await session.connection()
        single = await connection.execute(ignoring_insert(dialect, model), rows[0])
        return int(single.rowcount or 0)
    statement = dialect_insert(dialect, model).values(rows).on_conflict_do_nothing()
    result = await session.exec(statement)
    return int(result.rowcount or 0)

"""INSERT ... ON CONFLICT DO NOTHING on both SQLite and PostgreSQL."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession


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
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if len(rows) == 1:
        # Values as parameters, not in the statement: SQLAlchemy then compiles it once and
        # reuses it, where a statement with its values inside is compiled on every call.
        connection = await session.connection()
        single = await connection.execute(insert(model).on_conflict_do_nothing(), rows[0])
        return int(single.rowcount or 0)
    statement = insert(model).values(rows).on_conflict_do_nothing()
    result = await session.exec(statement)
    return int(result.rowcount or 0)

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
    statement = insert(model).values(rows).on_conflict_do_nothing()
    result = await session.exec(statement)
    return int(result.rowcount or 0)

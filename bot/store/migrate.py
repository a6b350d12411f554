"""Run Alembic from code: `rapport migrate`, start-up and tests share this."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

import migrations

SCRIPTS = Path(migrations.__file__).parent
MIGRATION_LOCK = 0x5241_504D  # any constant every replica shares


def alembic_config(url: str) -> Config:
    config = Config(str(SCRIPTS / "alembic.ini"))
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str, engine: AsyncEngine | None = None, revision: str = "head") -> None:
    """Bring the schema at `url` (or behind `engine`) up to `revision`."""
    if engine is None:
        async with _one_at_a_time(url):
            # env.py runs its own event loop for a bare URL, so it gets a thread of its own.
            await asyncio.to_thread(command.upgrade, alembic_config(url), revision)
        return
    # A given engine's pooled connections belong to this event loop (asyncpg binds them),
    # so migrate on one of them here rather than from env.py's loop in another thread.
    async with engine.connect() as connection:
        await connection.run_sync(_upgrade_on, alembic_config(url), revision)
        await connection.commit()


def _upgrade_on(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@asynccontextmanager
async def _one_at_a_time(url: str) -> AsyncIterator[None]:
    """Replicas started together all migrate at start-up: on PostgreSQL they take turns
    (an advisory lock), and those after the first find the schema up to date."""
    if not url.startswith("postgresql"):
        yield
        return
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            try:
                yield
            finally:
                await connection.execute(text(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
    finally:
        await engine.dispose()

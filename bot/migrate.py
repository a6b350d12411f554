"""Run Alembic from code: `rapport migrate`, start-up and tests share this."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations

SCRIPTS = Path(migrations.__file__).parent


def alembic_config(url: str) -> Config:
    config = Config(str(SCRIPTS / "alembic.ini"))
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str, engine: AsyncEngine | None = None, revision: str = "head") -> None:
    """Bring the schema at `url` (or behind `engine`) up to `revision`."""
    if engine is None:
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

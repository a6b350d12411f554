"""Run Alembic from code: `rapport migrate`, start-up and tests share this."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine

import migrations

SCRIPTS = Path(migrations.__file__).parent


def alembic_config(url: str, engine: AsyncEngine | None = None) -> Config:
    config = Config(str(SCRIPTS / "alembic.ini"))
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


async def upgrade(url: str, engine: AsyncEngine | None = None, revision: str = "head") -> None:
    """Alembic's env.py runs its own event loop, so it gets a thread of its own."""
    await asyncio.to_thread(command.upgrade, alembic_config(url, engine), revision)

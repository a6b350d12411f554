"""Async Alembic environment: every table (bot/wiring/schema.py), batch mode for SQLite, our
naming convention."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import Connection, pool
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.sql.sqltypes import AutoString

from bot.models.base import UTCDateTime
from bot.wiring.schema import metadata

config = context.config
target_metadata = metadata()


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types as plain SQLAlchemy types, so migrations never import bot/."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url", ""
    )


def configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
        **kwargs,
    )


def run_sync(connection: Connection) -> None:
    configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_online() -> None:
    engine: AsyncEngine = create_async_engine(url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(run_sync)
        await connection.commit()
    await engine.dispose()


# bot.store.migrate passes a connection of the caller's engine (its search_path, its event loop);
# the caller commits it.
given: Connection | None = config.attributes.get("connection")
if context.is_offline_mode():
    configure(url=url(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif given is not None:
    run_sync(given)
else:
    asyncio.run(run_online())

"""Run Alembic from code: `rapport migrate`, start-up and tests share this."""

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

import migrations

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPTS = Path(migrations.__file__).parent
MIGRATION_LOCK = 0x5241_504D  # any constant every replica shares
_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


def alembic_config(url: str) -> "Config":
    from alembic.config import Config

    config = Config(str(SCRIPTS / "alembic.ini"))
    config.set_main_option("script_location", str(SCRIPTS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(url: str, engine: AsyncEngine | None = None, revision: str = "head") -> None:
    """Bring the schema at `url` (or behind `engine`) up to `revision`."""
    from alembic import command

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


async def up_to_date(url: str, engine: AsyncEngine | None = None) -> bool:
    """Whether the schema at `url` (or behind `engine`) is at the newest revision. Read
    without Alembic, whose import and script loading took a tenth of `rapport run`'s start
    for a schema nearly always up to date already (benchmarks/README.md, Lean start)."""
    if _missing_file(url):
        # Not connected to: SQLite would make an empty file, before `run` has checked the
        # settings it checks before migrating a new database (bot/wiring/serve.py).
        return False
    own = engine is None
    reader = (
        create_async_engine(url, poolclass=NullPool, hide_parameters=True)
        if engine is None
        else engine
    )
    try:
        async with reader.connect() as connection:
            found = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in found} == heads()
    except DBAPIError:  # no version table: a new database
        return False
    finally:
        if own:
            await reader.dispose()


def _missing_file(url: str) -> bool:
    """Whether `url` is a SQLite file that does not exist yet."""
    parsed = make_url(url)
    path = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or path in ("", ":memory:"):
        return False
    return not Path(path).exists()


def heads() -> set[str]:
    """The revisions no other revision follows, read from the scripts' text."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for script in (SCRIPTS / "versions").glob("*.py"):
        source = script.read_text()
        if revision := _REVISION.search(source):
            revisions.add(revision[1])
        if down := _DOWN_REVISION.search(source):
            followed.update(_QUOTED.findall(down[1]))
    return revisions - followed


def _upgrade_on(connection: Connection, config: "Config", revision: str) -> None:
    from alembic import command

    config.attributes["connection"] = connection
    command.upgrade(config, revision)


@asynccontextmanager
async def _one_at_a_time(url: str) -> AsyncIterator[None]:
    """Replicas started together all migrate at start-up: on PostgreSQL they take turns
    (an advisory lock), and those after the first find the schema up to date."""
    if not url.startswith("postgresql"):
        yield
        return
    engine = create_async_engine(url, poolclass=NullPool, hide_parameters=True)
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f"SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            try:
                yield
            finally:
                await connection.execute(text(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
    finally:
        await engine.dispose()

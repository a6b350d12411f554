"""Shared fixtures: real databases (SQLite files and PostgreSQL schemas) and a wired bot."""

import asyncio
import os
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from bot.store import migrate
from bot.store.db import Database, make_engine
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly, assemble
from bot.wiring.config import Settings
from bot.wiring.demo import seed_demo
from bot.wiring.features import build_router, every_feature
from bot.wiring.schema import metadata

PG_DSN = os.environ.get("TEST_POSTGRES_DSN", "postgresql://127.0.0.1:5432/test")
PG_URL = "postgresql+asyncpg://" + PG_DSN.split("://", 1)[1]
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday

# Every table registered before any test reads SQLModel.metadata or builds a schema.
metadata()


async def _postgres_reachable() -> str | None:
    try:
        # Generous: a busy machine is slow to connect; an unreachable server refuses at once.
        connection = await asyncpg.connect(PG_DSN, timeout=60)
    except (OSError, asyncpg.PostgresError, TimeoutError) as failure:
        return f"{type(failure).__name__}: {failure}"
    await connection.close()
    return None


def _require_postgres() -> None:
    problem = asyncio.run(_postgres_reachable())
    if problem is None:
        return
    reason = f"PostgreSQL is not reachable at {PG_DSN} ({problem})"
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(reason + " and REQUIRE_POSTGRES=1", pytrace=False)
    pytest.skip(reason + "; set REQUIRE_POSTGRES=1 to fail instead of skipping")


async def _postgres_database() -> tuple[Database, str]:
    schema = f"t_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(PG_DSN)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    await admin.close()
    engine = make_engine(PG_URL, 5, connect_args={"server_settings": {"search_path": schema}})
    return Database(engine), schema


async def _drop_schema(schema: str) -> None:
    admin = await asyncpg.connect(PG_DSN)
    await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
    await admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        _require_postgres()
    return str(request.param)


@pytest.fixture
async def empty_db(backend: str, tmp_path: object) -> AsyncIterator[Database]:
    """A real, empty database without tables: SQLite file or a fresh PostgreSQL schema."""
    schema = None
    if backend == "sqlite":
        db = Database(make_engine(f"sqlite+aiosqlite:///{tmp_path}/rapport.db"))
    else:
        db, schema = await _postgres_database()
    yield db
    await db.dispose()
    if schema:
        await _drop_schema(schema)


@pytest.fixture
async def db(empty_db: Database) -> Database:
    """A real database with every table, on each backend."""
    async with empty_db.engine.begin() as connection:
        await connection.run_sync(metadata().create_all)
    return empty_db


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(_env_file=None, database_url=db.url)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
async def rapport(db: Database, settings: Settings, clock: VirtualClock) -> Assembly:
    """The whole bot on the local platform and a virtual clock, demo workspace seeded."""
    return await assemble(settings, build_router(), clock, None, db=db)


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A migrated SQLite file holding the demo workspace, by URL (for the command line)."""
    url = f"sqlite+aiosqlite:///{tmp_path}/rapport.db"

    async def prepare() -> None:
        await migrate.upgrade(url)
        db = Database(make_engine(url))
        async with db.session() as session:
            await seed_demo(session, datetime.now(UTC), every_feature())
        await db.dispose()

    asyncio.run(prepare())
    return url


async def scalar(db: Database, sql: str) -> object:
    async with db.session() as session:
        return (await session.exec(text(sql))).scalar()  # type: ignore[call-overload]

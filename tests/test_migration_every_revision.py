"""Every schema a deployment may be running upgrades to the current one with its data.

Rapport has no tagged releases yet: main is what is deployed, so every numbered revision in
migrations/versions/ is a released schema (docs/operations/upgrades.md). For each one, on
SQLite and PostgreSQL: migrate an empty database to it, write the core rows a running bot
has (a workspace, people, kudos, a schedule with due work, a message in the outbox, a
processed event) with the columns that revision has, upgrade to the head, and find the
schema the code declares with every row still there.

The migrations that rewrite data have tests of their own (tests/test_migration_*.py).
"""

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlmodel import SQLModel

from bot.store import migrate
from bot.store.db import Database

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
SCRIPTS = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
HEAD = SCRIPTS.get_current_head()
RELEASED = [script.revision for script in reversed(list(SCRIPTS.walk_revisions()))]

# Each table's rows, in insert order, with a value for every column any revision required.
ROWS: dict[str, list[dict[str, Any]]] = {
    "workspace": [
        {
            "id": 1,
            "platform": "local",
            "external_id": "T1",
            "name": "Acme",
            "timezone": "UTC",
            "settings": {},
            "created_at": NOW,
        }
    ],
    "person": [
        {
            "id": person_id,
            "workspace_id": 1,
            "platform_user_id": user,
            "display_name": user.title(),
            "timezone": "UTC",
            "roles": [],
            "preferences": {},
            "is_bot": False,
            "created_at": NOW,
        }
        for person_id, user in ((1, "ann"), (2, "bob"))
    ],
    "kudos": [
        {
            "id": 1,
            "workspace_id": 1,
            "batch": "b1",
            "giver_id": 1,
            "receiver_id": 2,
            "reason": "thanks for the great demo",
            "source": "command",
            "created_at": NOW,
        }
    ],
    "schedule": [
        {
            "id": 1,
            "workspace_id": 1,
            "kind": "digest",
            "name": "weekly digest",
            "trigger": {"type": "cron", "day_of_week": "mon", "hour": 9},
            "timezone": "UTC",
            "payload": {},
            "enabled": True,
            "next_fire_at": NOW,
            "created_at": NOW,
        }
    ],
    "due_work": [
        {
            "id": 1,
            "schedule_id": 1,
            "period": "2027-W01",
            "recipient": "",
            "kind": "digest",
            "payload": {},
            "status": "pending",
            "run_at": NOW,
            "attempts": 0,
        }
    ],
    "outbox_message": [
        {
            "id": 1,
            "key": "local:Ev1:0",
            "workspace_id": 1,
            "platform": "local",
            "destination": {"kind": "channel", "channel": "general"},
            "message": {"text": "hello"},
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": NOW,
            "created_at": NOW,
        }
    ],
    "processed_event": [
        {"id": 1, "platform": "local", "event_id": "Ev1", "received_at": NOW},
    ],
}


def _write_rows(connection: Connection) -> None:
    """The rows above, each with the columns its table has at this revision."""
    inspector = inspect(connection)
    for name, rows in ROWS.items():
        columns = inspector.get_columns(name)
        table = sa.table(name, *(sa.column(c["name"], _typed(c["type"])) for c in columns))
        present = {c["name"] for c in columns}
        required = {
            c["name"]
            for c in columns
            if not c["nullable"] and c.get("default") is None and not c.get("autoincrement")
        }
        for row in rows:
            missing = required - set(row) - {"id"}
            assert not missing, f"add a value for {name}.{sorted(missing)} to ROWS"
            values = {column: value for column, value in row.items() if column in present}
            connection.execute(table.insert().values(values))


def _typed(kind: Any) -> Any:
    """JSON and times as the application writes them (the reflected SQLite types are bare)."""
    name = type(kind).__name__.upper()
    if "JSON" in name:
        return sa.JSON()
    if "DATETIME" in name or "TIMESTAMP" in name:
        return sa.DateTime(timezone=True)
    return kind


def _counts(connection: Connection) -> dict[str, int]:
    return {
        name: int(connection.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one())
        for name in ROWS
    }


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


async def _upgrade(db: Database, revision: str) -> None:
    """As `rapport migrate` does it. On SQLite that is by URL, on a connection of Alembic's
    own, where foreign keys are not enforced: SQLite's batch mode rebuilds a table by copying
    it and dropping the old one, which enforced keys would refuse while rows point at it. (On
    PostgreSQL, on the test's engine, which holds its schema.)"""
    if db.is_postgres:
        await migrate.upgrade(db.url, engine=db.engine, revision=revision)
    else:
        await db.dispose()  # its pooled connection would hold the file's write lock
        await migrate.upgrade(db.url, revision=revision)


def test_the_released_schemas_are_every_revision_from_the_first() -> None:
    assert RELEASED[0] == SCRIPTS.get_base()
    assert RELEASED[-1] == HEAD
    assert len(RELEASED) == len(set(RELEASED)) >= 20


@pytest.mark.parametrize("released", RELEASED[:-1])
async def test_a_database_at_a_released_schema_upgrades_with_its_data(
    empty_db: Database, released: str
) -> None:
    await _upgrade(empty_db, released)
    async with empty_db.engine.begin() as connection:
        await connection.run_sync(_write_rows)
    await _upgrade(empty_db, "head")
    async with empty_db.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []
        assert await connection.run_sync(_counts) == {
            name: len(rows) for name, rows in ROWS.items()
        }
        names = await connection.execute(sa.text("SELECT name FROM workspace"))
        assert names.scalars().all() == ["Acme"]

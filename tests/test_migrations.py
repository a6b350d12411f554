"""Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlmodel import SQLModel

from bot.models import ProcessedEvent
from bot.store import migrate
from bot.store.db import Database
from bot.wiring.schema import metadata

CORE_TABLES = {
    "company_value",
    "due_work",
    "kudos",
    "outbox_message",
    "person",
    "processed_event",
    "schedule",
    "workspace",
}


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata()))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _constraint_names(connection: Connection) -> dict[str, set[str]]:
    inspector = inspect(connection)
    names: dict[str, set[str]] = {}
    for table in inspector.get_table_names():
        found = {str(inspector.get_pk_constraint(table)["name"])}
        found |= {str(u["name"]) for u in inspector.get_unique_constraints(table)}
        found |= {str(f["name"]) for f in inspector.get_foreign_keys(table)}
        found |= {str(i["name"]) for i in inspector.get_indexes(table)}
        names[table] = found
    return names


async def _upgraded(db: Database) -> None:
    await migrate.upgrade(db.url, engine=db.engine)


async def test_upgrade_creates_every_table(empty_db: Database) -> None:
    await _upgraded(empty_db)
    async with empty_db.engine.connect() as connection:
        tables = await connection.run_sync(_tables)
    assert tables == set(metadata().tables) | {"alembic_version"}
    assert tables >= CORE_TABLES


async def test_models_and_migrations_agree(empty_db: Database) -> None:
    await _upgraded(empty_db)
    async with empty_db.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


async def test_a_model_change_without_migration_is_noticed(empty_db: Database) -> None:
    """The comparison above is not vacuous: a table the migration never made shows up."""
    async with empty_db.engine.begin() as connection:
        table = SQLModel.metadata.tables[ProcessedEvent.__tablename__]
        await connection.run_sync(metadata().create_all, tables=[table])
    async with empty_db.engine.connect() as connection:
        added = {op[1].name for op in await connection.run_sync(_diff) if op[0] == "add_table"}
    assert "workspace" in added
    assert "processed_event" not in added


async def test_constraint_names_follow_the_convention(empty_db: Database) -> None:
    await _upgraded(empty_db)
    async with empty_db.engine.connect() as connection:
        names = await connection.run_sync(_constraint_names)
    assert "uq_processed_event_platform_event_id" in names["processed_event"]
    assert "pk_processed_event" in names["processed_event"]
    assert "ix_processed_event_received_at" in names["processed_event"]
    assert {
        "pk_kudos",
        "uq_kudos_giver_id_receiver_id_source_ref",
        "fk_kudos_giver_id_person",
        "fk_kudos_receiver_id_person",
        "fk_kudos_workspace_id_workspace",
    } <= names["kudos"]
    assert {
        "pk_person",
        "uq_person_workspace_id_platform_user_id",
        "fk_person_manager_id_person",
        "fk_person_workspace_id_workspace",
    } <= names["person"]
    assert "uq_workspace_platform_external_id" in names["workspace"]
    assert "uq_due_work_schedule_id_period_recipient" in names["due_work"]
    for table, found in names.items():
        if table == "alembic_version":
            continue
        prefixes = ("pk_", "uq_", "fk_", "ix_")
        assert all(name.startswith(prefixes) for name in found), (table, found)


async def test_upgrade_twice_is_a_no_op(empty_db: Database) -> None:
    await _upgraded(empty_db)
    await _upgraded(empty_db)
    async with empty_db.engine.connect() as connection:
        assert await connection.run_sync(_diff) == []


def test_the_heads_read_from_the_scripts_are_alembics() -> None:
    scripts = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert migrate.heads() == set(scripts.get_heads())


async def test_up_to_date_only_at_the_newest_revision(empty_db: Database) -> None:
    assert not await migrate.up_to_date(empty_db.url, empty_db.engine)
    await _upgraded(empty_db)
    assert await migrate.up_to_date(empty_db.url, empty_db.engine)
    async with empty_db.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert not await migrate.up_to_date(empty_db.url, empty_db.engine)

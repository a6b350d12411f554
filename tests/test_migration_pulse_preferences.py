"""Migration 0010 moves pulse's own preferences into personal settings, losing nothing."""

import sqlalchemy as sa
from sqlmodel import select

from bot.kit.preferences import personal_settings
from bot.models import Person
from bot.store import migrate
from bot.store.db import Database
from tests.migration_people import add_people

PULSE_PREFERENCE = sa.table(
    "pulse_preference",
    *(sa.column(name) for name in ("workspace_id", "person_id", "work_start", "work_end")),
    sa.column("reminders", sa.Boolean()),
)


async def test_pulse_preferences_become_personal_settings(empty_db: Database) -> None:
    await migrate.upgrade(empty_db.url, engine=empty_db.engine, revision="0009")
    async with empty_db.engine.begin() as connection:
        await add_people(connection, {1: {"other": 1}, 2: {}, 3: {}})
        await connection.execute(
            PULSE_PREFERENCE.insert(),
            [
                {
                    "workspace_id": 1,
                    "person_id": 1,
                    "reminders": False,
                    "work_start": "08:00",
                    "work_end": "16:00",
                },
                {
                    "workspace_id": 1,
                    "person_id": 2,
                    "reminders": True,
                    "work_start": None,
                    "work_end": None,
                },
            ],
        )
    await migrate.upgrade(empty_db.url, engine=empty_db.engine)
    async with empty_db.session() as session:
        people = {p.id: p for p in (await session.exec(select(Person))).all()}
    opted_out, untouched, never_set = (personal_settings(people[i]) for i in (1, 2, 3))
    assert people[1].preferences["other"] == 1
    assert not opted_out.receives("pulse")
    assert opted_out.working_hours is not None
    assert opted_out.working_hours.describe() == "08:00-16:00"
    assert untouched.receives("pulse") and untouched.working_hours is None
    assert never_set == untouched

"""Migration 0015 moves experts' own working hours into personal settings, losing nothing."""

import sqlalchemy as sa
from sqlmodel import select

from bot.kit.preferences import personal_settings
from bot.models import Person
from bot.store import migrate
from bot.store.db import Database
from tests.migration_people import add_people

EXPERT_PROFILE = sa.table(
    "expert_profile",
    *(sa.column(name) for name in ("workspace_id", "person_id", "away")),
    *(sa.column(name) for name in ("work_start_hour", "work_end_hour")),
    sa.column("work_days", sa.JSON()),
)


async def test_expert_hours_become_personal_working_hours(empty_db: Database) -> None:
    await migrate.upgrade(empty_db.url, engine=empty_db.engine, revision="0014")
    chosen = {"working_hours": {"start": "10:00:00", "end": "14:00:00"}, "work_days": [0]}
    people = ((1, {"other": 1}), (2, {}), (3, chosen), (4, {}))
    experts = (
        (1, 8, 16, [0, 1, 2, 3]),
        (2, 9, 17, [0, 1, 2, 3, 4]),
        (3, 7, 15, [0]),
        (4, 0, 24, [5, 6]),
    )
    async with empty_db.engine.begin() as connection:
        await add_people(connection, dict(people))
        await connection.execute(
            EXPERT_PROFILE.insert(),
            [
                {
                    "workspace_id": 1,
                    "person_id": person_id,
                    "away": False,
                    "work_start_hour": start,
                    "work_end_hour": end,
                    "work_days": days,
                }
                for person_id, start, end, days in experts
            ],
        )
    await migrate.upgrade(empty_db.url, engine=empty_db.engine)
    async with empty_db.session() as session:
        found = {p.id: p for p in (await session.exec(select(Person))).all()}
    moved, default, own, whole_weekend = (personal_settings(found[i]) for i in (1, 2, 3, 4))
    assert found[1].preferences["other"] == 1
    assert moved.working_hours is not None and moved.working_hours.describe() == "08:00-16:00"
    assert moved.work_days == (0, 1, 2, 3)
    # The default was nobody's choice: nothing is written for it.
    assert found[2].preferences == {} and default.working_hours is None
    # Hours chosen in personal settings already win over the expert's old ones.
    assert own.working_hours is not None and own.working_hours.describe() == "10:00-14:00"
    assert whole_weekend.working_hours is not None
    assert whole_weekend.working_hours.describe() == "00:00-23:59"
    assert whole_weekend.work_days == (5, 6)

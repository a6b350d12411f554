"""Migration 0024 gives every survey a language: its workspace's, else English."""

import sqlalchemy as sa
from sqlmodel import select

from bot.store import migrate
from bot.store.db import Database
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseSurvey
from tests.migration_people import NOW, WORKSPACE

SURVEY = sa.table(
    "pulse_survey",
    *(sa.column(name) for name in ("id", "workspace_id", "title", "anonymous", "active")),
    sa.column("spec", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
SPEC = {
    "title": "Weekly pulse",
    "questions": [{"kind": "scale", "prompt": "How was your week?", "options": []}],
    "audience": {"kind": "everyone", "channel": "", "departments": []},
    "schedule": {"text": "once", "trigger": {"type": "date", "at": "now"}, "every_weeks": 1},
}


async def test_surveys_take_their_workspaces_language(empty_db: Database) -> None:
    await migrate.upgrade(empty_db.url, engine=empty_db.engine, revision="0023")
    async with empty_db.engine.begin() as connection:
        for number, settings in ((1, {"language": "fr"}), (2, {}), (3, {"language": "it"})):
            await connection.execute(
                WORKSPACE.insert().values(
                    id=number,
                    platform="local",
                    external_id=f"w{number}",
                    name="W",
                    timezone="UTC",
                    settings=settings,
                    created_at=NOW,
                )
            )
            await connection.execute(
                SURVEY.insert().values(
                    id=number,
                    workspace_id=number,
                    title="Weekly pulse",
                    anonymous=True,
                    active=True,
                    spec=SPEC,
                    created_at=NOW,
                )
            )
    await migrate.upgrade(empty_db.url, engine=empty_db.engine)
    async with empty_db.session() as session:
        surveys = (await session.exec(select(PulseSurvey).order_by(PulseSurvey.id))).all()
    assert [s.language for s in surveys] == ["fr", "en", "en"]
    specs = [SurveySpec.model_validate(s.spec) for s in surveys]
    assert [s.language for s in specs] == ["fr", "en", "en"]
    assert specs[0].questions[0].prompt == "How was your week?"

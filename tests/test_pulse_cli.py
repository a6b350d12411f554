"""`rapport pulse create FILE`: surveys from YAML, and files with mistakes that create nothing."""

import asyncio
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from bot.models import Schedule
from bot.store.db import Database, make_engine
from bot.wiring.cli import app
from handlers.pulse.tables import PulseSurvey

EXAMPLE = Path(__file__).parent.parent / "examples" / "pulse-weekly.yml"
GOOD = EXAMPLE.read_text()


def create(tmp_path: Path, database: str, text: str, *args: str) -> tuple[int, str]:
    survey = tmp_path / "survey.yml"
    survey.write_text(text)
    result = CliRunner().invoke(
        app, ["pulse", "create", str(survey), "--database-url", database, *args]
    )
    return result.exit_code, result.output


def counts(database: str) -> tuple[int, int]:
    async def count() -> tuple[int, int]:
        db = Database(make_engine(database))
        async with db.session() as session:
            surveys = (await session.exec(select(func.count()).select_from(PulseSurvey))).one()
            schedules = (await session.exec(select(func.count()).select_from(Schedule))).one()
        await db.dispose()
        return surveys, schedules

    return asyncio.run(count())


def test_the_example_file_creates_a_weekly_survey(tmp_path: Path, database: str) -> None:
    code, output = create(tmp_path, database, GOOD)
    assert code == 0, output
    assert "created pulse survey #1 “Weekly pulse”" in output

    async def stored() -> tuple[PulseSurvey, Schedule]:
        db = Database(make_engine(database))
        async with db.session() as session:
            survey = (await session.exec(select(PulseSurvey))).one()
            schedule = (await session.exec(select(Schedule))).one()
        await db.dispose()
        return survey, schedule

    survey, schedule = asyncio.run(stored())
    assert survey.anonymous and survey.created_by_id is not None
    assert [q["kind"] for q in survey.spec["questions"]] == ["scale", "enps", "choice", "text"]
    assert survey.spec["reminder_days"] == [2, 4] and survey.spec["close_after_days"] == 5
    assert schedule.kind == "pulse.run" and schedule.timezone == "Europe/London"
    assert schedule.trigger == {"type": "cron", "day_of_week": "mon", "hour": 10, "minute": 0}
    assert schedule.next_fire_at is not None and schedule.next_fire_at.weekday() == 0


BAD_FILES = {
    "unknown kind": (
        GOOD.replace("  - kind: enps", "  - kind: rating"),
        "line 15: questions.1.kind: Input should be 'scale', 'enps', 'choice' or 'text'",
    ),
    "choice without options": (
        GOOD.replace("    options: [Focus time, Fewer meetings, Clearer priorities]\n", ""),
        "line 17: questions.2: A choice question needs at least two options",
    ),
    "misspelt key": (
        GOOD.replace("anonymous: true", "anonymus: true"),
        "anonymus: Extra inputs are not permitted",
    ),
    "bad schedule": (
        GOOD.replace("schedule: weekly on mon at 10:00", "schedule: fortnightly"),
        "schedule: Schedule is one of",
    ),
    "unknown time zone": (
        GOOD.replace("timezone: Europe/London", "timezone: Europe/Londn"),
        "timezone: Unknown time zone 'Europe/Londn'",
    ),
    "reminder after close": (
        GOOD.replace("reminder_days: [2, 4]", "reminder_days: [2, 9]"),
        "line 39: reminder_days: Reminder days [9] must fall between 1 and the day before",
    ),
    "not YAML": ("title: [Weekly\nquestions: oops\n", "line 2: not valid YAML"),
    "not a mapping": ("- just\n- a list\n", "line 1: expected a mapping"),
    "unknown author": (GOOD.replace("created_by: cara", "created_by: zed"), "nobody called 'zed'"),
    "date in the past": (
        GOOD.replace("schedule: weekly on mon at 10:00", "schedule: once on 2020-01-06 at 10:00"),
        "never fires",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_file_with_a_mistake_says_where_and_creates_nothing(
    tmp_path: Path, database: str, case: str
) -> None:
    text, message = BAD_FILES[case]
    code, output = create(tmp_path, database, text)
    assert code == 1
    assert message in " ".join(output.split()), output
    assert "nothing was created" in output and "Traceback" not in output
    assert counts(database) == (0, 0)


def test_an_unknown_workspace_creates_nothing(tmp_path: Path, database: str) -> None:
    code, output = create(tmp_path, database, GOOD, "--workspace", "nowhere")
    assert code == 1 and "0 workspaces match" in output
    assert counts(database) == (0, 0)

"""A pulse audience that holds nobody is refused when the survey is created, in the form and
from a YAML file, naming what comes close; an accepted one says how many people it holds.

Demo workspace: ann and bob in Engineering, cara (HR) in People, dan in Community, eve and
fay in Sales.
"""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from bot import migrate
from bot.assembly import Assembly
from bot.cli import app
from bot.db import Database, make_engine
from bot.demo import seed_demo
from bot.models import PulseSurvey, Schedule
from tests.handlers.conftest import Talk

EXAMPLE = Path(__file__).parents[3] / "examples" / "pulse-weekly.yml"


def create(audience: str) -> str:
    return (
        "cara in #hr: /pulse new\n"
        f'cara submits pulse.new title="Weekly pulse" questions="scale: How was your week?" '
        f'audience="{audience}" schedule="weekly on mon at 10:00" timezone=Europe/London\n'
    )


async def surveys(rapport: Assembly) -> int:
    async with rapport.db.session() as session:
        return (await session.exec(select(func.count()).select_from(PulseSurvey))).one()


@pytest.mark.parametrize(
    ("audience", "refusal"),
    [
        ("departments: Enginering", "No department 'Enginering' — did you mean Engineering?"),
        ("departments: Engineering, Salse", "No department 'Salse' — did you mean Sales?"),
        (
            "departments: Finance",
            "No department 'Finance' — the departments are Community, Engineering, People, Sales.",
        ),
        ("#genral", "Nobody has been seen posting in #genral, so that audience holds nobody"),
        ("#nochannel", "Nobody has been seen posting in #nochannel"),
    ],
)
async def test_an_audience_that_holds_nobody_is_refused_in_the_form(
    talk: Talk, rapport: Assembly, audience: str, refusal: str
) -> None:
    await talk("bob in #general: morning all")
    out = await talk(create(audience))
    assert f"[form errors for @cara] audience: {refusal}" in out, out
    assert "is scheduled" not in out
    assert await surveys(rapport) == 0


async def test_a_near_channel_is_suggested(talk: Talk) -> None:
    out = await talk("bob in #general: morning all\n" + create("#genral"))
    assert (
        "(a channel's audience is the people I have seen post there). Did you mean #general?"
        in (out)
    )
    out = await talk(create("#nochannel"))
    assert "Did you mean" not in out


@pytest.mark.parametrize(
    ("audience", "size"),
    [
        ("everyone", "6 people"),
        ("departments: engineering", "2 people"),
        ("departments: People", "1 person"),
        ("#general", "2 people"),
    ],
)
async def test_an_accepted_audience_says_how_many_it_holds(
    talk: Talk, rapport: Assembly, audience: str, size: str
) -> None:
    await talk("bob in #general: morning all\ndan in #general: hello")
    out = await talk(create(audience))
    assert "Pulse survey #1 “Weekly pulse” is scheduled" in out
    assert f"It goes to {size} as of now." in out
    assert await surveys(rapport) == 1


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path}/rapport.db"

    async def prepare() -> None:
        await migrate.upgrade(url)
        db = Database(make_engine(url))
        async with db.session() as session:
            await seed_demo(session, datetime.now(UTC))
        await db.dispose()

    asyncio.run(prepare())
    return url


def create_from_file(tmp_path: Path, database: str, text: str) -> tuple[int, str]:
    survey = tmp_path / "survey.yml"
    survey.write_text(text)
    result = CliRunner().invoke(app, ["pulse", "create", str(survey), "--database-url", database])
    return result.exit_code, " ".join(result.output.split())


def stored(database: str) -> tuple[int, int]:
    async def count() -> tuple[int, int]:
        db = Database(make_engine(database))
        async with db.session() as session:
            surveys = (await session.exec(select(func.count()).select_from(PulseSurvey))).one()
            schedules = (await session.exec(select(func.count()).select_from(Schedule))).one()
        await db.dispose()
        return surveys, schedules

    return asyncio.run(count())


def test_a_file_whose_audience_holds_nobody_creates_nothing(tmp_path: Path, database: str) -> None:
    text = EXAMPLE.read_text().replace("audience: everyone", 'audience: "departments: Enginering"')
    code, output = create_from_file(tmp_path, database, text)
    assert code == 1
    assert "line 25: audience: No department 'Enginering' — did you mean Engineering?" in output
    assert "nothing was created" in output
    assert stored(database) == (0, 0)


def test_a_file_with_an_audience_says_how_many_it_holds(tmp_path: Path, database: str) -> None:
    text = EXAMPLE.read_text().replace("audience: everyone", 'audience: "departments: Sales"')
    code, output = create_from_file(tmp_path, database, text)
    assert code == 0, output
    assert "created pulse survey #1 “Weekly pulse”: It goes to 2 people as of now." in output
    assert stored(database) == (1, 1)

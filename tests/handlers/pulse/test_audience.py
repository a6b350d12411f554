"""A pulse audience that holds nobody is refused when the survey is created, in the form and
from a YAML file, naming what comes close; an accepted one says how many people it holds.

Demo workspace: ann and bob in Engineering, cara (HR) in People, dan in Community, eve and
fay in Sales.
"""

from pathlib import Path

import pytest
from sqlmodel import func, select

from bot.wiring.assembly import Assembly
from handlers.pulse.tables import PulseSurvey
from tests.handlers.conftest import Talk
from tests.test_pulse_cli import counts
from tests.test_pulse_cli import create as create_from_cli

EXAMPLE = Path(__file__).parents[3] / "examples" / "pulse-weekly.yml"


def create_from_file(tmp_path: Path, database: str, text: str) -> tuple[int, str]:
    code, output = create_from_cli(tmp_path, database, text)
    return code, " ".join(output.split())


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
            "No department 'Finance' — the departments are Community, Engineering, People, "
            "and Sales.",
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


def test_a_file_whose_audience_holds_nobody_creates_nothing(tmp_path: Path, database: str) -> None:
    text = EXAMPLE.read_text().replace("audience: everyone", 'audience: "departments: Enginering"')
    code, output = create_from_file(tmp_path, database, text)
    assert code == 1
    assert "line 25: audience: No department 'Enginering' — did you mean Engineering?" in output
    assert "nothing was created" in output
    assert counts(database) == (0, 0)


def test_a_file_with_an_audience_says_how_many_it_holds(tmp_path: Path, database: str) -> None:
    text = EXAMPLE.read_text().replace("audience: everyone", 'audience: "departments: Sales"')
    code, output = create_from_file(tmp_path, database, text)
    assert code == 0, output
    assert "created pulse survey #1 “Weekly pulse”: It goes to 2 people as of now." in output
    assert counts(database) == (1, 1)

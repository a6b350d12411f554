"""The ballot box with TOKEN_ENCRYPTION_KEYS set: waiting ballots are sealed, and a move that
never ran (a crash after the click committed) is made up by the next answer's move.

Demo workspace plus four engineers: Engineering is ann, bob and en1-en4. The clock starts on
Monday 2027-01-04 at 09:00 UTC.
"""

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.assembly import Assembly
from bot.config import Settings
from bot.db import Database
from bot.models import PulseAnswer, PulseBallot
from handlers.pulse import ballot_box
from tests.handlers.conftest import Talk

KEY = Fernet.generate_key().decode()
SURVEY = (
    "cara in #hr: /pulse new\n"
    'cara submits pulse.new title="Weekly pulse" questions="text: What would help?" '
    'audience="departments: Engineering" schedule=once timezone=Europe/London '
    "anonymous=yes close=5\n"
    "advance 1h"
)
PEOPLE = ["ann", "bob", "en1", "en2", "en3", "en4"]


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(_env_file=None, database_url=db.url, token_encryption_keys=KEY)


async def answer(talk: Talk, person: str) -> str:
    return await talk(
        f"{person} clicks pulse.write 1:0\n"
        f'{person} submits pulse.text answer="quieter mornings, says {person}"'
    )


async def stored(rapport: Assembly) -> tuple[list[PulseBallot], list[PulseAnswer]]:
    async with rapport.db.session() as session:
        ballots = (await session.exec(select(PulseBallot))).all()
        answers = (await session.exec(select(PulseAnswer))).all()
    return list(ballots), list(answers)


async def test_a_waiting_ballot_is_sealed(talk: Talk, rapport: Assembly) -> None:
    await talk("\n".join(f"user en{i} dept=Engineering tz=Europe/London" for i in range(1, 5)))
    await talk(SURVEY)
    assert "is recorded" in await answer(talk, "bob")
    [ballot], answers = await stored(rapport)
    assert answers == []
    # Without the key a reader sees which run and question, never the words or department.
    assert ballot.sealed.startswith("fernet:")
    assert "quieter" not in ballot.sealed and "Engineering" not in ballot.sealed


async def test_a_move_lost_to_a_crash_is_made_up_by_the_next_one(
    talk: Talk, rapport: Assembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    await talk("\n".join(f"user en{i} dept=Engineering tz=Europe/London" for i in range(1, 5)))
    await talk(SURVEY)

    async def crash(session: AsyncSession, **_: object) -> int:
        raise ConnectionError("the process died before the move")

    with monkeypatch.context() as patched:
        patched.setattr(ballot_box, "move_ready", crash)
        for person in PEOPLE[:5]:
            assert "is recorded" in await answer(talk, person)
    ballots, answers = await stored(rapport)
    assert (len(ballots), answers) == (5, [])  # five answers, safe in the box
    await answer(talk, PEOPLE[5])
    ballots, answers = await stored(rapport)
    assert ballots == []
    assert sorted(a.comment or "" for a in answers) == sorted(
        f"quieter mornings, says {person}" for person in PEOPLE
    )


async def test_the_sweep_on_a_reminder_day_moves_what_a_crash_left(
    talk: Talk, rapport: Assembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    await talk("\n".join(f"user en{i} dept=Engineering tz=Europe/London" for i in range(1, 5)))
    await talk(SURVEY)

    async def crash(session: AsyncSession, **_: object) -> int:
        raise ConnectionError("the process died before the move")

    with monkeypatch.context() as patched:
        patched.setattr(ballot_box, "move_ready", crash)
        for person in PEOPLE[:5]:
            await answer(talk, person)
    assert [len(found) for found in await stored(rapport)] == [5, 0]
    await talk("advance 2d")  # the first reminder day sweeps the run
    ballots, answers = await stored(rapport)
    assert (ballots, len(answers)) == ([], 5)

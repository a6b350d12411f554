"""The ballot box with TOKEN_ENCRYPTION_KEYS set: waiting ballots are sealed, and a move that
never ran (a crash after the click committed) is made up by the next answer's move.

Demo workspace plus four engineers: Engineering is ann, bob and en1-en4. The clock starts on
Monday 2027-01-04 at 09:00 UTC.
"""

import asyncio
import sqlite3
from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.store.db import Database
from bot.wiring.assembly import Assembly
from bot.wiring.config import Settings
from handlers.pulse import ballot_box
from handlers.pulse.tables import PulseAnswer, PulseBallot
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
    assert "✓ Answered" in await answer(talk, "bob")
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
            assert "✓ Answered" in await answer(talk, person)
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


async def test_moved_ballots_leave_nothing_in_the_sqlite_file(
    talk: Talk, rapport: Assembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    if rapport.db.engine.dialect.name != "sqlite":
        # PostgreSQL keeps deleted rows until vacuum, as docs/threat-model.md says.
        assert rapport.db.engine.dialect.name == "postgresql"
        return
    await talk("\n".join(f"user en{i} dept=Engineering tz=Europe/London" for i in range(1, 5)))
    await talk(SURVEY.replace("text: What would help?", "text: What would help?; scale: Week?"))
    await talk("ann clicks pulse.answer 1:1:4")  # a ballot of another question, which stays
    with monkeypatch.context() as patched:
        patched.setattr(ballot_box, "move_ready", _no_move)
        for person in PEOPLE[:5]:
            await answer(talk, person)
    await _checkpoint(rapport)  # the waiting ballots are now in the database file itself
    waiting = {b.question: b.sealed.encode() for b in (await stored(rapport))[0] if b.question}
    moved = [b.sealed.encode() for b in (await stored(rapport))[0] if not b.question]
    assert len(moved) == 5 and all(sealed in _file(rapport) for sealed in moved)
    await answer(talk, PEOPLE[5])
    await _checkpoint(rapport)
    # The moved ballots' sealed text went with them: their space in the file is zeroed, not
    # left for a reader of the file (or a copy of it) to find. The waiting one is still there.
    assert [b.question for b in (await stored(rapport))[0]] == [1]
    assert waiting[1] in _file(rapport)
    assert not [sealed for sealed in moved if sealed in _file(rapport)]
    # Set on every connection (bot.store.db), not left to how the SQLite library was built.
    async with rapport.db.session() as session:
        assert (await session.exec(text("PRAGMA secure_delete"))).one()[0] == 1  # type: ignore[call-overload]


async def _no_move(session: AsyncSession, **_: object) -> int:
    return 0


async def _checkpoint(rapport: Assembly) -> None:
    """Copy the write-ahead log into the database file, from a connection of its own."""
    connection = sqlite3.connect(_path(rapport))
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        connection.close()
    assert busy == 0


def _file(rapport: Assembly) -> bytes:
    with open(_path(rapport), "rb") as file:
        return file.read()


def _path(rapport: Assembly) -> str:
    return rapport.db.url.partition(":///")[2]


async def test_two_movers_at_once_move_each_ballot_once(talk: Talk, rapport: Assembly) -> None:
    await talk(SURVEY)
    seal = ballot_box.sealer(rapport.bot.settings)
    async with rapport.db.session() as session:
        for n in range(12):
            columns = {"comment": f"idea {n}", "department": "", "day": date(2027, 1, 4)}
            ballot_box.cast(session, seal, 1, 0, columns)

    async def mover() -> int:
        async with rapport.db.session() as session:
            return await ballot_box.move_ready(session, seal, 1, 5)

    moved = await asyncio.gather(mover(), mover(), mover())
    ballots, answers = await stored(rapport)
    # One mover took all twelve; the others found the run locked, then nothing left to move.
    assert sorted(moved) == [0, 0, 12] and ballots == []
    assert sorted(a.comment or "" for a in answers) == sorted(f"idea {n}" for n in range(12))

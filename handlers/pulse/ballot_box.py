"""The ballot box: anonymous answers wait as sealed ballots, then move in shuffled batches.

A click writes a ballot in its own transaction, which also holds rows that name the person
(their thanks in the outbox, their tick in the respondent list). Those rows must never share a
transaction with an answer, so the answer is written later, elsewhere:

- `move_ready`, in a transaction of its own after the click has committed, moves a question's
  ballots once at least the anonymity threshold of them wait: all in one transaction, in a
  random order, the ballots deleted. It touches nothing that names a person. It is idempotent
  (the run row is locked, and a batch whose ballots another mover took is rolled back), so a
  crash before it ran loses nothing: the next answer's move, the sweep on each reminder day
  (`pulse.sweep`) or the close takes the ballots.
- `empty`, at the close (scheduled work of its own, `pulse.shuffle`), moves whatever still
  waits and rewrites all of the run's answers in a fresh random order, so that neither
  storage order (rowid, ctid) nor PostgreSQL's xmin carries anything about who came when.
"""

import json
import random
import secrets
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.store.secrets_at_rest import Sealer
from bot.wiring.config import Settings
from handlers.pulse.settings import pulse_settings
from handlers.pulse.tables import PulseAnswer, PulseBallot, PulseRun, PulseSurvey

SHUFFLE = random.SystemRandom()
ANSWER_COLUMNS = ("department", "score", "choice", "comment", "day")


class BatchTaken(Exception):
    """Another mover took some of these ballots first; this batch is rolled back."""


def sealer(settings: Settings) -> Sealer:
    return Sealer.from_setting(settings.token_encryption_keys)


def batch_size(settings: Settings) -> int:
    """How many of a question's ballots must wait before they move: the anonymity threshold
    (that of comments, if larger, since a text question's ballots are comments)."""
    chosen = pulse_settings(settings)
    return max(chosen.threshold, chosen.comment_threshold)


def cast(session: AsyncSession, seal: Sealer, run_id: int, question: int, columns: Any) -> None:
    """Drop an answer in the box: its columns as JSON, sealed when keys are set."""
    data = {name: columns.get(name) for name in ANSWER_COLUMNS}
    data["day"] = columns["day"].isoformat()
    session.add(
        PulseBallot(
            id=secrets.token_hex(16),
            run_id=run_id,
            question=question,
            sealed=seal.seal(json.dumps(data)),
        )
    )


async def move_ready(session: AsyncSession, seal: Sealer, run_id: int, threshold: int) -> int:
    """Move each question's ballots once at least `threshold` of them wait (all of them when
    `threshold` is 0); how many moved."""
    await _lock(session, run_id)
    ballots = (await session.exec(select(PulseBallot).where(PulseBallot.run_id == run_id))).all()
    by_question: dict[int, list[PulseBallot]] = defaultdict(list)
    for ballot in ballots:
        by_question[ballot.question].append(ballot)
    ready = [b for group in by_question.values() if len(group) >= threshold for b in group]
    if not ready:
        return 0
    ids = [ballot.id for ballot in ready]
    gone = await session.exec(delete(PulseBallot).where(col(PulseBallot.id).in_(ids)))
    if gone.rowcount != len(ids):
        raise BatchTaken(run_id)
    rows = [_answer_row(seal, ballot) for ballot in ready]
    await _insert_shuffled(session, rows)
    return len(rows)


async def empty(session: AsyncSession, seal: Sealer, run_id: int) -> None:
    """At the close: move every waiting ballot, then rewrite the run's answers in a fresh
    random order (attributed surveys' answers are not secret and stay where they are)."""
    await move_ready(session, seal, run_id, 0)
    run = await session.get(PulseRun, run_id)
    survey = await session.get(PulseSurvey, run.survey_id) if run else None
    if survey is None or not survey.anonymous:
        return
    answers = (await session.exec(select(PulseAnswer).where(PulseAnswer.run_id == run_id))).all()
    rows = [answer.model_dump() for answer in answers]
    await session.exec(delete(PulseAnswer).where(col(PulseAnswer.run_id) == run_id))
    for row in rows:
        row["id"] = secrets.token_hex(16)  # nothing of the old row survives, its id included
    await _insert_shuffled(session, rows)


async def waiting(session: AsyncSession, run_id: int) -> int:
    found = await session.exec(select(PulseBallot.id).where(PulseBallot.run_id == run_id))
    return len(found.all())


async def _lock(session: AsyncSession, run_id: int) -> None:
    """One mover per run at a time (PostgreSQL; SQLite writers take turns anyway)."""
    await session.exec(select(PulseRun.id).where(PulseRun.id == run_id).with_for_update())


def _answer_row(seal: Sealer, ballot: PulseBallot) -> dict[str, Any]:
    data = json.loads(seal.open(ballot.sealed))
    return {
        "id": secrets.token_hex(16),
        "run_id": ballot.run_id,
        "question": ballot.question,
        **data,
    }


async def _insert_shuffled(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    SHUFFLE.shuffle(rows)
    for row in rows:
        row["day"] = _day(row["day"])
    connection = await session.connection()
    await connection.execute(insert(PulseAnswer), rows)


def _day(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value

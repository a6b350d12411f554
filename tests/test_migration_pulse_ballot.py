"""Migration 0018 rewrites stored pulse answers in a random order; every result stays the same."""

import dataclasses
import random
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from bot.store import migrate
from bot.store.db import Database
from handlers.pulse import responses, results
from handlers.pulse.results import AnswerFacts, Report, RunFacts
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseAttribution, PulseSurvey
from tests.migration_people import NOW, add_people

SPEC = {
    "title": "Weekly pulse",
    "questions": [
        {"kind": "scale", "prompt": "How was your week?"},
        {"kind": "enps", "prompt": "Would you recommend us?"},
        {"kind": "choice", "prompt": "What helps most?", "options": ["Focus", "Pairing"]},
        {"kind": "text", "prompt": "Anything else?"},
    ],
    "audience": {"kind": "everyone"},
    "schedule": "once",
}
SURVEY = sa.table(
    "pulse_survey",
    *(sa.column(n) for n in ("id", "workspace_id", "title", "anonymous", "active")),
    sa.column("spec", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
RUN_COLUMNS = ("id", "workspace_id", "survey_id", "period", "invited", "responded")
RUN = sa.table(
    "pulse_run",
    *(sa.column(n) for n in RUN_COLUMNS),
    *(sa.column(n, sa.DateTime(timezone=True)) for n in ("opened_at", "closes_at", "closed_at")),
)
ANSWER_COLUMNS = ("id", "run_id", "question", "department", "score", "choice", "comment")
ANSWER = sa.table("pulse_answer", *(sa.column(n) for n in ANSWER_COLUMNS), sa.column("day"))
ATTRIBUTION = sa.table("pulse_attribution", *(sa.column(n) for n in ("answer_id", "person_id")))


def answers_of(run_id: int, people: int, seed: int) -> list[dict[str, Any]]:
    """Every person answers the four questions, in answering order."""
    pick = random.Random(seed)
    rows = []
    for person in range(people):
        department = ("Engineering", "Sales", "Ops")[person % 3]
        values: list[dict[str, Any]] = [
            {"score": pick.randint(1, 5)},
            {"score": pick.randint(0, 10)},
            {"choice": pick.choice(["Focus", "Pairing"])},
            {"comment": f"more {pick.choice(['focus', 'pairing', 'quiet'])} time {person}"},
        ]
        for question, value in enumerate(values):
            rows.append(
                {
                    "id": f"{run_id:02d}{person:02d}{question:02d}".ljust(32, "0"),
                    "run_id": run_id,
                    "question": question,
                    "department": department,
                    "score": None,
                    "choice": None,
                    "comment": None,
                    "day": date(2027, 1, 4) + timedelta(days=7 * (run_id - 1)),
                    **value,
                }
            )
    return rows


def report_of(runs: list[RunFacts], answers: list[AnswerFacts]) -> Report:
    spec = SurveySpec.model_validate(SPEC)
    found = results.report(spec.questions, runs, answers, scores_min=5, comments_min=5)
    # Comments are listed in storage order, which the migration changes on purpose.
    questions = [
        dataclasses.replace(q, comments=sorted(q.comments) if q.comments else q.comments)
        for q in found.questions
    ]
    return dataclasses.replace(found, questions=questions)


async def test_answers_move_reshuffled_with_their_results_unchanged(empty_db: Database) -> None:
    await migrate.upgrade(empty_db.url, engine=empty_db.engine, revision="0017")
    answers = answers_of(1, 14, 1) + answers_of(2, 12, 2) + answers_of(3, 3, 3)
    async with empty_db.engine.begin() as connection:
        await add_people(connection, {1: {}, 2: {}, 3: {}})
        await connection.execute(
            SURVEY.insert(),
            [
                {"id": s, "workspace_id": 1, "title": "Weekly pulse", "anonymous": s == 1}
                | {"active": True, "spec": SPEC, "created_at": NOW}
                for s in (1, 2)
            ],
        )
        await connection.execute(
            RUN.insert(),
            [
                {
                    "id": run,
                    "workspace_id": 1,
                    "survey_id": 1 if run < 3 else 2,
                    "period": f"2027-01-{4 + 7 * (run - 1):02d}T09:00:00+00:00",
                    "invited": 15,
                    "responded": people,
                    "opened_at": NOW,
                    "closes_at": NOW + timedelta(days=5),
                    "closed_at": NOW + timedelta(days=5),
                }
                for run, people in ((1, 14), (2, 12), (3, 3))
            ],
        )
        await connection.execute(ANSWER.insert(), answers)
        attributed = [a["id"] for a in answers if a["run_id"] == 3]
        await connection.execute(
            ATTRIBUTION.insert(),
            [{"answer_id": a, "person_id": 1 + int(a[2:4])} for a in attributed],
        )
    runs = [RunFacts("2027-01-04", 15, 14, True), RunFacts("2027-01-11", 15, 12, True)]
    before = report_of(runs, [_facts(a) for a in answers if a["run_id"] < 3])

    await migrate.upgrade(empty_db.url, engine=empty_db.engine)

    async with empty_db.session() as session:
        survey = await session.get(PulseSurvey, 1)
        assert survey is not None
        after_runs, after_answers = await responses.gather(session, survey)
        kept = {(a.answer_id, a.person_id) for a in (await session.exec(select(PulseAttribution)))}
        order = "ctid" if empty_db.engine.dialect.name == "postgresql" else "rowid"
        query = sa.text(f"select id from pulse_answer order by {order}")
        stored = (await session.exec(query)).all()  # type: ignore[call-overload]
    assert report_of(after_runs, after_answers) == before
    assert kept == {(a, 1 + int(a[2:4])) for a in attributed}
    # Rewritten in a random order: storage order no longer repeats answering order.
    assert sorted(row[0] for row in stored) == sorted(a["id"] for a in answers)
    assert [row[0] for row in stored] != [a["id"] for a in answers]


def _facts(row: dict[str, Any]) -> AnswerFacts:
    value = row["score"] if row["score"] is not None else row["choice"]
    return AnswerFacts(row["run_id"] - 1, row["question"], row["department"], value, row["comment"])

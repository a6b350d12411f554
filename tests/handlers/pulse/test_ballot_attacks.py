"""Attacks on anonymous answers by someone who reads the database, written as tests.

Eleven engineers answer an eNPS question in a known order, each with a different score (the
n-th to answer gives n - 1), so that any trace of answering order in the stored answers, or
any row that lines an answer up with a person, would show. The clock starts on Monday
2027-01-04 at 09:00 UTC; the answers come at 10:17.
"""

import json
import logging
from collections import Counter
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import DateTime, text
from sqlmodel import SQLModel, select

from bot.contract.events import Action
from bot.models import OutboxMessage, ProcessedEvent
from bot.wiring.assembly import Assembly
from handlers.pulse.tables import PulseAnswer, PulseBallot, PulseRespondent
from tests.handlers.conftest import Talk

ANSWERERS = ["ann", "bob", *(f"en{i}" for i in range(1, 10))]
CLICKED_AT = datetime(2027, 1, 4, 10, 17, tzinfo=UTC)
# Tables whose rows name a person, or that the click's transaction writes next to them.
PERSONAL = (
    "person",
    "pulse_respondent",
    "outbox_message",
    "processed_event",
    "due_work",
    "audit_entry",
    "pulse_ticket",
)


async def survey_answered(talk: Talk, count: int = len(ANSWERERS)) -> None:
    await talk("\n".join(f"user en{i} dept=Engineering tz=Europe/London" for i in range(1, 10)))
    await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Weekly pulse" questions="enps: Would you recommend us?" '
        'audience="departments: Engineering" schedule=once timezone=Europe/London '
        "anonymous=yes close=5\n"
        "advance 1h 17m"
    )
    await talk(
        "\n".join(f"{h} clicks pulse.answer 1:0:{n}" for n, h in enumerate(ANSWERERS[:count]))
    )


async def scores_in_storage_order(rapport: Assembly) -> list[int]:
    order = "ctid" if rapport.db.engine.dialect.name == "postgresql" else "rowid"
    async with rapport.db.session() as session:
        found = await session.exec(text(f"select score from pulse_answer order by {order}"))  # type: ignore[call-overload]
        return [row[0] for row in found.all()]


async def count(rapport: Assembly, model: type[SQLModel]) -> int:
    async with rapport.db.session() as session:
        return len((await session.exec(select(model))).all())


async def test_answers_wait_until_a_threshold_of_them_move_together(
    talk: Talk, rapport: Assembly
) -> None:
    await survey_answered(talk, 4)
    # Four wait (the threshold is 5): no answer row exists that could be lined up with them.
    assert (await count(rapport, PulseBallot), await count(rapport, PulseAnswer)) == (4, 0)
    await talk("en3 clicks pulse.answer 1:0:4")
    assert (await count(rapport, PulseBallot), await count(rapport, PulseAnswer)) == (0, 5)
    await talk(
        "\n".join(f"{h} clicks pulse.answer 1:0:{n + 5}" for n, h in enumerate(ANSWERERS[5:]))
    )
    assert (await count(rapport, PulseBallot), await count(rapport, PulseAnswer)) == (1, 10)
    await talk("advance 5d")  # the close moves the last ballot and forgets who answered
    assert (await count(rapport, PulseBallot), await count(rapport, PulseRespondent)) == (0, 0)
    assert Counter(await scores_in_storage_order(rapport)) == Counter(range(11))


async def test_storage_order_does_not_follow_answering_order(talk: Talk, rapport: Assembly) -> None:
    await survey_answered(talk)
    stored = await scores_in_storage_order(rapport)
    # Batches of five, each shuffled: the first batch holds the first five to answer, in
    # some order. That much the batch sizes allow, and no more.
    assert set(stored[:5]) == set(range(5)) and set(stored[5:]) == set(range(5, 10))
    await talk("advance 5d")
    stored = await scores_in_storage_order(rapport)
    # The close rewrote all eleven in a fresh random order (11! orders: one in 40 million
    # repeats answering order, or its reverse, by chance).
    assert sorted(stored) == list(range(11))
    assert stored not in (list(range(11)), list(range(10, -1, -1)))


async def test_no_row_naming_a_person_shares_a_transaction_with_an_answer(
    talk: Talk, rapport: Assembly
) -> None:
    if rapport.db.engine.dialect.name != "postgresql":
        # SQLite keeps no transaction id in its rows: storage order is its only trace,
        # tested above.
        assert not await _has_column(rapport, "pulse_answer", "xmin")
        return
    await survey_answered(talk)
    for moment in ("batches moved", "closed"):
        async with rapport.db.session() as session:
            named = await session.exec(
                text(  # type: ignore[call-overload]
                    "select p.display_name, a.score from pulse_answer a "
                    "join pulse_respondent r on r.xmin = a.xmin join person p on p.id = r.person_id"
                )
            )
            assert named.all() == [], moment
            answers = {
                row[0]
                for row in (await session.exec(text("select xmin::text from pulse_answer"))).all()
            }  # type: ignore[call-overload]
            for table in PERSONAL:
                found = await session.exec(text(f"select xmin::text from {table}"))  # type: ignore[call-overload]
                assert not answers & {row[0] for row in found.all()}, (moment, table)
        await talk("advance 5d")


async def test_no_stored_time_dates_an_answer(talk: Talk, rapport: Assembly) -> None:
    await survey_answered(talk)
    assert rapport.bot.clock.now() == CLICKED_AT  # the moment every click happened
    async with rapport.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, DateTime)]
            for column in columns:
                found = await session.exec(select(column))  # type: ignore[call-overload]
                moments = {row[0] for row in found.all() if row[0] is not None}
                assert CLICKED_AT not in moments, f"{table.name}.{column.name}"
        received = (await session.exec(select(ProcessedEvent.received_at))).all()
    # Every event, the clicks included, is kept with its day only.
    assert received and all(moment.time() == time(0) for moment in received)


async def test_the_outbox_keeps_no_thanks_and_dates_none(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "\n".join(
            [
                "user en1 dept=Engineering tz=Europe/London",
                "cara in #hr: /pulse new",
                'cara submits pulse.new title="Weekly pulse" questions="enps: Recommend us?" '
                'audience="departments: Engineering" schedule=once timezone=Europe/London '
                "anonymous=yes close=5",
                "advance 1h 17m",
                "bob clicks pulse.answer 1:0:7",
            ]
        )
    )
    assert "✓ Answered" in out  # bob's card was updated...
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    # ...and its row is gone once sent: no key, text or time of it says bob answered, or when.
    assert not [r for r in rows if "✓" in json.dumps(r.message, ensure_ascii=False)]
    assert not [r for r in rows if CLICKED_AT in (r.created_at, r.next_attempt_at, r.sent_at)]


async def _has_column(rapport: Assembly, table: str, column: str) -> bool:
    async with rapport.db.session() as session:
        found = await session.exec(text(f"select name from pragma_table_info('{table}')"))  # type: ignore[call-overload]
        return column in {row[0] for row in found.all()}


async def test_no_log_line_names_or_dates_an_answer(
    talk: Talk, rapport: Assembly, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="handlers")
    await survey_answered(talk)
    # A platform retry of the last click: handled once, and logged as ignored.
    shell = rapport.shell
    base = {
        **shell._base("en9", is_dm=True),
        "event_id": f"{shell._session_tag}-{shell._events - 1}",
    }
    retried = Action(**base, action_id="pulse.answer", value="1:0:10")  # type: ignore[arg-type]
    assert (await rapport.bot.dispatch(retried)).status == "duplicate"
    await talk("advance 5d")
    lines = [record.getMessage() for record in caplog.records]
    assert [line for line in lines if "ignored a retry" in line]
    events = rapport.shell._session_tag  # every event id of this run starts with it
    assert not [line for line in lines if events in line or "pulse.answer" in line]
    assert not [line for line in lines for handle in ANSWERERS if f" {handle}" in line]

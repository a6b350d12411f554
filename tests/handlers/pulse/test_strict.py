"""Strict pulse surveys: answer once with the invitation's ticket, and no record of who answered.

Demo workspace plus four engineers: Engineering is ann, bob and en1-en4. The clock starts on
Monday 2027-01-04 at 09:00 UTC.
"""

import re
import secrets
from typing import TypeVar

from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from adapters.discord.ids import button_id, form_id
from bot.models import OutboxMessage
from bot.wiring.assembly import Assembly
from bot.wiring.config import Settings
from handlers.pulse import tickets
from handlers.pulse.authoring import spec_from_yaml
from handlers.pulse.tables import PulseBallot, PulseRespondent, PulseRun, PulseTicket
from tests.handlers.conftest import Talk
from tests.handlers.test_home import open_home

M = TypeVar("M", bound=SQLModel)
PEOPLE = ["ann", "bob", "en1", "en2", "en3", "en4"]
STRICT = (
    "cara in #hr: /pulse new\n"
    'cara submits pulse.new title="Weekly pulse" '
    'questions="scale: How was your week?; text: Anything else?" '
    'audience="departments: Engineering" schedule=once timezone=Europe/London '
    "anonymous=yes reminders=strict close=5\n"
)


async def invited(talk: Talk) -> dict[str, str]:
    """Open a strict survey; each invitee's ticket, read from the buttons they were sent."""
    await talk("\n".join(f"user en{i} dept=Engineering tz=Europe/London" for i in range(1, 5)))
    out = await talk(STRICT + "advance 1h")
    assert out.count("Anonymous, strict: ") == len(PEOPLE)  # the invitation says which applies
    assert "I keep no record of who answered, so reminders go to everyone" in out
    tickets = {}
    for chunk in out.split("[dm @")[1:]:
        found = re.search(r"pulse\.answer 1:0:1:([0-9a-f]{32})", chunk)
        if found:
            tickets[chunk.partition("]")[0]] = found[1]
    assert sorted(tickets) == sorted(PEOPLE) and len(set(tickets.values())) == len(PEOPLE)
    return tickets


async def rows(rapport: Assembly, model: type[M]) -> list[M]:
    async with rapport.db.session() as session:
        return list((await session.exec(select(model))).all())


async def test_answers_once_with_a_ticket_and_nobody_is_recorded(
    talk: Talk, rapport: Assembly
) -> None:
    tickets = await invited(talk)
    # Nothing lists who was asked, and the invitations (tickets inside) went once sent.
    assert await rows(rapport, PulseRespondent) == []
    texts = [m.message["text"] for m in await rows(rapport, OutboxMessage)]
    assert not [t for t in texts if "📋 Pulse survey" in t]
    refusals = {
        "bob clicks pulse.answer 1:0:3": "not one I made",  # no ticket
        f"bob clicks pulse.answer 1:0:3:{secrets.token_hex(16)}": "not one I made",  # forged
        "bob clicks pulse.answer 1:0:3:été": "not one I made",
    }
    for line, answer in refusals.items():
        assert answer in await talk(line)
    for score, person in enumerate(PEOPLE[:4], 1):
        out = await talk(f"{person} clicks pulse.answer 1:0:{score}:{tickets[person]}")
        assert "✓ Answered (stored without your name" in out and "1 of 2" in out
    out = await talk(f"ann clicks pulse.answer 1:0:5:{tickets['ann']}")
    assert "already answered question 1" in out
    out = await talk(
        f"bob clicks pulse.write 1:1::{tickets['bob']}\n"
        'bob submits pulse.text answer="more pairing please"'
    )
    assert "All answered. Thank you!" in out
    [run] = await rows(rapport, PulseRun)
    assert run.responded == 4  # bob's second answer does not count him twice
    assert len(await rows(rapport, PulseBallot)) == 5  # under the threshold: all wait
    await talk(f"en4 clicks pulse.answer 1:0:5:{tickets['en4']}")
    assert "once, anonymous, strict, active" in await talk("cara in #hr: /pulse list")
    assert [b.question for b in await rows(rapport, PulseBallot)] == [1]  # question 1 moved
    # Spent tickets are digests with a run: no column names anyone.
    table = SQLModel.metadata.tables["pulse_ticket"]
    assert set(table.columns.keys()) == {"digest", "run_id"}
    async with rapport.db.engine.connect() as connection:
        keys = await connection.run_sync(
            lambda sync: {
                k["referred_table"] for k in inspect(sync).get_foreign_keys("pulse_ticket")
            }
        )
    assert keys == {"pulse_run"}
    await _no_shared_transaction(rapport)
    await talk("advance 5d")
    [run] = await rows(rapport, PulseRun)
    assert run.ticket_key is None and await rows(rapport, PulseTicket) == []
    out = await talk("cara in #hr: /pulse results 1")
    assert "Answered: 5 of 6" in out and "5 answers, mean 3.00" in out


async def test_reminders_go_to_everyone_worded_for_both_cases(
    talk: Talk, rapport: Assembly
) -> None:
    tickets = await invited(talk)
    await talk(f"bob clicks pulse.answer 1:0:4:{tickets['bob']}\nadvance 2d 1h")
    reminders = [
        m
        for m in await rows(rapport, OutboxMessage)
        if m.message["text"].startswith("⏰ Reminder") and m.sent_at
    ]
    assert sorted(m.destination["user"] for m in reminders) == sorted(PEOPLE)  # bob too
    [wording] = {m.message["text"] for m in reminders}
    assert "If you have already answered, thank you!" in wording
    assert "use the buttons in the survey message" in wording
    assert not [b for m in reminders for b in m.message["blocks"] if b["type"] == "actions"]


def test_the_choice_is_in_the_yaml_spec_and_targeted_is_the_default() -> None:
    survey = (
        "title: Weekly pulse\nquestions:\n  - kind: scale\n    prompt: How was your week?\n"
        "audience: everyone\nschedule: once\n"
    )
    targeted, _ = spec_from_yaml(survey, Settings(_env_file=None))
    strict, _ = spec_from_yaml(survey + "reminders: strict\n", Settings(_env_file=None))
    assert (targeted.reminders, targeted.strict) == ("targeted", False)
    assert strict.strict


async def _no_shared_transaction(rapport: Assembly) -> None:
    """PostgreSQL: no spent ticket (or person) shares a transaction id with an answer."""
    if rapport.db.engine.dialect.name != "postgresql":
        return
    async with rapport.db.session() as session:
        answers = await session.exec(text("select xmin::text from pulse_answer"))  # type: ignore[call-overload]
        moved = {row[0] for row in answers.all()}
        assert moved
        for table in ("pulse_ticket", "person", "outbox_message", "processed_event"):
            found = await session.exec(text(f"select xmin::text from {table}"))  # type: ignore[call-overload]
            assert not moved & {row[0] for row in found.all()}, table


def test_a_ticket_fits_in_the_smallest_button() -> None:
    """Discord gives a button's custom id, and a form's, 100 characters at most."""
    ticket = "f" * (tickets.NONCE_HEX + tickets.MAC_HEX)
    assert button_id("pulse.answer", f"999999:9:10:{ticket}") is not None
    assert form_id("pulse.text", f"999999:9::{ticket}") is not None


async def test_home_lists_an_open_strict_survey_to_whoever_was_invited(
    talk: Talk, rapport: Assembly
) -> None:
    tickets = await invited(talk)
    await talk(f"bob clicks pulse.answer 1:0:3:{tickets['bob']}")
    for handle in ("bob", "en1"):  # answered or not: the page cannot tell, and says so
        page = await open_home(rapport, handle, f"home-{handle}")
        assert "Weekly pulse: 2 questions (strict: whether you answered is kept nowhere)" in page
    page = await open_home(rapport, "cara", "home-cara")  # HR, not in Engineering
    assert "Weekly pulse" not in page and "Nothing needs you right now." in page

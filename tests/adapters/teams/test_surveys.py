"""A pulse answer on Teams: the survey card, updated with what is answered and what is left,
goes back in the click's invoke response (an Action.Execute refresh), and its outbox row,
which would say who answered, is deleted rather than kept as sent."""

import json
from datetime import timedelta

from sqlmodel import select

from adapters.teams.inbound import VALUE_KEY
from bot.models import OutboxMessage, Person
from handlers.pulse.tables import PulseBallot, PulseRespondent, PulseRun, PulseSurvey
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld

SPEC = {
    "title": "Weekly pulse",
    "questions": [{"kind": "scale", "prompt": "How was your week?"}],
    "audience": {"kind": "everyone"},
    "schedule": "once",
}


async def open_run(teams: TeamsWorld) -> None:
    """A run of an anonymous survey that asks bob, written straight into the database."""
    now = teams.rapport.bot.clock.now()
    async with teams.rapport.db.session() as session:
        bob = await session.exec(select(Person).where(Person.platform_user_id == P.BOB["id"]))
        person = bob.one()
        survey = PulseSurvey(
            workspace_id=person.workspace_id, title="Weekly pulse", spec=SPEC, created_at=now
        )
        session.add(survey)
        await session.flush()
        run = PulseRun(
            workspace_id=person.workspace_id,
            survey_id=survey.id or 0,
            period=now.isoformat(),
            opened_at=now,
            closes_at=now + timedelta(days=5),
            invited=1,
        )
        session.add(run)
        await session.flush()
        session.add(PulseRespondent(run_id=run.id or 0, person_id=person.id or 0))


async def test_the_card_is_refreshed_inline_and_its_row_is_forgotten(teams: TeamsWorld) -> None:
    assert (await teams.post(P.personal_install(teams.url, P.BOB, P.BOB_CHAT))).status == 202
    said = await teams.post(P.personal_message(teams.url, P.BOB, P.BOB_CHAT, "pulse help"))
    assert said.status == 202  # bob is known from now on
    await open_run(teams)
    response = await teams.post(
        P.card_action(
            teams.url,
            P.BOB,
            "pulse.answer",
            {VALUE_KEY: "1:0:4"},
            reply_to="inv-1",
            chat=P.BOB_CHAT,
        )
    )
    answer = await response.json()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    card = json.dumps(answer["value"], ensure_ascii=False)
    assert "All answered. Thank you!" in card and "✓ Answered" in card
    assert "pulse.answer" not in card  # the answered question has no buttons left
    await teams.settle()
    async with teams.rapport.db.session() as session:
        messages = [m.message for m in (await session.exec(select(OutboxMessage))).all()]
        ballots = (await session.exec(select(PulseBallot))).all()
    assert (
        not [m for m in messages if "✓" in json.dumps(m, ensure_ascii=False)] and len(ballots) == 1
    )
    # Answered once, in the invoke response: neither an update nor a message besides.
    assert not any("✓" in json.dumps(c.body, ensure_ascii=False) for c in teams.connector.calls)

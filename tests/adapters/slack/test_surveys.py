"""A pulse survey card on Slack is updated in place as it is answered: chat.update of the
clicked message, also after a written answer's modal (which remembers the card), and through
the click's response_url for a card only its viewer sees."""

import json
from datetime import timedelta

from sqlmodel import select

from bot.models import Person
from handlers.pulse.tables import PulseRespondent, PulseRun, PulseSurvey
from tests.adapters.slack.conftest import SlackWorld

BOB_DM = "DU0BOB"
CARD_TS = "1700000000.000200"
SPEC = {
    "title": "Weekly pulse",
    "questions": [
        {"kind": "scale", "prompt": "How was your week?"},
        {"kind": "text", "prompt": "Anything else?"},
    ],
    "audience": {"kind": "everyone"},
    "schedule": "once",
}


async def open_run(slack: SlackWorld) -> None:
    """A run of an attributed survey that asks bob, written straight into the database."""
    now = slack.rapport.bot.clock.now()
    async with slack.rapport.db.session() as session:
        found = await session.exec(select(Person).where(Person.platform_user_id == "U0BOB"))
        bob = found.one()
        survey = PulseSurvey(
            workspace_id=bob.workspace_id,
            title="Weekly pulse",
            spec=SPEC,
            anonymous=False,
            created_at=now,
        )
        session.add(survey)
        await session.flush()
        run = PulseRun(
            workspace_id=bob.workspace_id,
            survey_id=survey.id or 0,
            period=now.isoformat(),
            opened_at=now,
            closes_at=now + timedelta(days=5),
            invited=1,
        )
        session.add(run)
        await session.flush()
        session.add(PulseRespondent(run_id=run.id or 0, person_id=bob.id or 0))


def texts(blocks: list[dict[str, object]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


async def test_the_card_is_updated_in_place_by_buttons_and_by_the_form(
    slack: SlackWorld,
) -> None:
    fake = slack.fake
    await slack.command("U0BOB", "/pulse", "help", channel=BOB_DM)
    await slack.settled(1)
    await open_run(slack)

    await slack.click("U0BOB", "pulse.answer", "1:0:4", channel=BOB_DM, ts=CARD_TS)
    await slack.settled(2)
    [update] = fake.ok("chat.update")
    assert (update["channel"], update["ts"]) == (BOB_DM, CARD_TS)
    shown = texts(update["blocks"])
    assert "✓ Your answer: 4" in shown and "1 of 2 questions answered, 1 left." in shown
    assert "pulse.answer" not in shown and "pulse.write" in shown
    assert not [c for c in fake.ok("chat.postMessage") if "recorded" in c["text"]]

    await slack.click("U0BOB", "pulse.write", "1:1", channel=BOB_DM, ts=CARD_TS)
    await slack.settled(3)
    [opened] = fake.ok("views.open")
    assert json.loads(opened["view"]["private_metadata"])["message"] == f"{BOB_DM}:{CARD_TS}"
    await slack.submit("U0BOB", opened["view"], {"answer": {"value": "More focus time"}})
    await slack.settled(4)
    *_, last = fake.ok("chat.update")
    assert (last["channel"], last["ts"]) == (BOB_DM, CARD_TS)
    shown = texts(last["blocks"])
    assert "✓ Your answer: More focus time" in shown and "All answered. Thank you!" in shown
    assert "pulse.write" not in shown


async def test_a_card_only_its_viewer_sees_is_replaced_through_the_response_url(
    slack: SlackWorld,
) -> None:
    fake = slack.fake
    fake.ephemeral.add(CARD_TS)
    await slack.command("U0BOB", "/pulse", "help", channel=BOB_DM)
    await slack.settled(1)
    await open_run(slack)

    await slack.click("U0BOB", "pulse.answer", "1:0:2", channel=BOB_DM, ts=CARD_TS)
    await slack.settled(2)
    assert fake.ok("chat.update") == []
    [replaced] = [r for r in fake.responses if r.get("replace_original")]
    assert "✓ Your answer: 2" in texts(replaced["blocks"])

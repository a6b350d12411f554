"""A pulse survey on Discord: every question of the documented example (docs/features/pulse.md)
can be answered, though its buttons need more rows than one Discord message holds."""

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from adapters.discord import limits
from bot.models import Person
from bot.time.clock import VirtualClock
from handlers.pulse.authoring import create_from_yaml
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, Harness
from tests.adapters.discord.fake_discord import APP_ID, GUILD_ID

EXAMPLE = Path(__file__).parents[3] / "examples" / "pulse-weekly.yml"
ANN_DM = "82" + ANN["id"][2:]  # the fake's DM channel with Ann
ANSWER = re.compile(r"rp:pulse\.(?:answer|write):\d+:(?P<question>\d+)(?::\d+)?")


async def interact(harness: Harness, interaction: dict[str, Any]) -> dict[str, Any]:
    """Feed an interaction from Ann's DM and wait until it is answered and its work done."""
    interaction = payloads.in_dm(interaction, ANN_DM)
    harness.feed("INTERACTION_CREATE", interaction)
    callback = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    await harness.settle()
    return interaction


def follow_ups(harness: Harness, interaction: dict[str, Any]) -> str:
    calls = harness.fake.find("POST", f"/webhooks/{APP_ID}/{interaction['token']}")
    return "\n".join(call.json["content"] for call in calls)


def buttons(post: dict[str, Any]) -> list[dict[str, Any]]:
    return [button for row in post.get("components", []) for button in row["components"]]


def click(harness: Harness, custom_id: str) -> dict[str, Any]:
    """A click on the button with this custom id, on the latest message that carries it."""
    carrying = [
        m
        for m in harness.fake.messages.values()
        if any(b["custom_id"] == custom_id for b in buttons(m))
    ]
    return payloads.button_click(ANN, custom_id, carrying[-1])


def card_edits(harness: Harness, interaction: dict[str, Any]) -> list[str]:
    """The edits of the message the interaction came from, as Discord was sent them."""
    path = f"/channels/{ANN_DM}/messages/{interaction['message']['id']}"
    return [json.dumps(call.json, ensure_ascii=False) for call in harness.fake.find("PATCH", path)]


async def test_every_question_of_the_readme_example_can_be_answered(
    harness: Harness, clock: VirtualClock
) -> None:
    bot = harness.assembly.bot
    await interact(harness, payloads.slash_command(ANN, "pulse"))  # Ann is a member now
    example = EXAMPLE.read_text().replace("created_by: cara\n", "")
    async with bot.db.session() as session:
        await create_from_yaml(
            session, example, bot.settings, clock.now(), workspace=GUILD_ID, platform="discord"
        )
    clock.advance(timedelta(hours=1))  # Monday 10:00 in London: the first run opens
    await harness.settle()

    posts = [call.json for call in harness.fake.find("POST", f"/channels/{ANN_DM}/messages")]
    assert len(posts) == 2  # 1 + 3 + 1 + 1 rows of buttons: more than one message holds
    assert "Pulse survey: Weekly pulse" in posts[0]["content"]
    assert "Anything else on your mind?" in posts[1]["content"]
    assert "Anything else on your mind?" not in posts[0]["content"]
    assert len({post["nonce"] for post in posts}) == 2
    for post in posts:
        rows = post["components"]
        assert 1 <= len(rows) <= limits.ROWS
        assert all(len(row["components"]) <= limits.BUTTONS_PER_ROW for row in rows)
        for button in buttons(post):
            assert len(button["label"]) <= limits.BUTTON_LABEL
            assert len(button["custom_id"]) <= limits.CUSTOM_ID
    by_question: dict[int, list[str]] = {}
    for post in posts:
        for button in buttons(post):
            match = ANSWER.fullmatch(button["custom_id"])
            assert match is not None
            by_question.setdefault(int(match["question"]), []).append(button["custom_id"])
    assert sorted(by_question) == [0, 1, 2, 3]
    assert len(by_question[1]) == 11  # eNPS: 0 to 10

    # Each answer edits the card it came from (after the deferred acknowledgement, type 6):
    # the question is ticked, its buttons gone, and no follow-up message is sent.
    for question in (0, 1, 2):
        clicked = click(harness, by_question[question][-1])
        before = len(card_edits(harness, clicked))
        done = await interact(harness, clicked)
        [callback] = harness.fake.find("POST", f"/interactions/{done['id']}/.*/callback")
        assert callback.json["type"] == 6
        *_, edit = card_edits(harness, done)
        assert len(card_edits(harness, done)) == before + 1
        assert f"{question + 1} of 4 questions answered" in edit and "✓ Answered" in edit
        assert by_question[question][0] not in edit
        assert not follow_ups(harness, done)

    # The free-text question: its button opens a form, and the form's answer is recorded.
    write = await interact(harness, click(harness, by_question[3][0]))
    [opened] = harness.fake.find("POST", f"/interactions/{write['id']}/.*/callback")
    assert opened.json["type"] == 9  # a modal
    modal = opened.json["data"]
    assert len(modal["title"]) <= limits.MODAL_TITLE
    [row] = modal["components"]
    [field] = row["components"]
    assert field["label"] == "Anything else on your mind?"
    values = {field["custom_id"]: "More focus."}
    submit = payloads.modal_submit(ANN, modal["custom_id"], values, write["message"])
    done = await interact(harness, submit)
    *_, edit = card_edits(harness, done)
    assert "All answered. Thank you!" in edit and not follow_ups(harness, done)


async def test_the_new_survey_form_fits_a_discord_modal_with_its_defaults_in_one_box(
    harness: Harness,
) -> None:
    """`/pulse new` has more inputs than a Discord modal's five: those with defaults share one
    box of `name: value` lines, and the survey is created as on other platforms."""
    fake = harness.fake
    await interact(harness, payloads.slash_command(ANN, "pulse"))  # Ann is a member now
    async with harness.assembly.db.session() as session:
        ann = (await session.exec(select(Person).where(Person.platform_user_id == ANN["id"]))).one()
        ann.roles = ["hr"]
    text = [{"name": "text", "type": 3, "value": "new"}]
    opened = await interact(harness, payloads.slash_command(ANN, "pulse", text))
    [callback] = fake.find("POST", f"/interactions/{opened['id']}/{opened['token']}/callback")
    assert callback.json["type"] == 9  # the modal, not "does not fit"
    rows = callback.json["data"]["components"]
    assert len(rows) == limits.MODAL_INPUTS
    more = rows[-1]["components"][0]
    assert more["custom_id"] == "timezone,anonymous,reminders,close,language:folded"

    values = {
        "title:text": "Friday check-in",
        "questions:textarea": "scale: How was your week?",
        "audience:text": "everyone",
        "schedule:text": "once",
        more["custom_id"]: more["value"].replace("anonymous: yes", "anonymous: no"),
    }
    submit = await interact(harness, payloads.modal_submit(ANN, "rpf:pulse.new:", values))
    created = follow_ups(harness, submit)
    assert "“Friday check-in” is scheduled" in created and "attributed" in created

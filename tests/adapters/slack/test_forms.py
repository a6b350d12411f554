"""Forms open as modals Slack accepts: the fake refuses, as Slack does, any field over its limit."""

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from tests.adapters.slack.conftest import GENERAL, SlackWorld


def refused(slack: SlackWorld, method: str) -> list[str | None]:
    return [c.error for c in slack.fake.calls if c.method == method and not c.ok]


async def test_idea_without_text_opens_a_modal_slack_accepts(slack: SlackWorld) -> None:
    await slack.command("U0ANN", "/idea", "")
    await slack.settled(1)
    assert refused(slack, "views.open") == []
    [opened] = slack.fake.ok("views.open")
    view: dict[str, Any] = opened["view"]
    assert view["callback_id"] == "ideas.submit"
    details = next(b for b in view["blocks"] if b["block_id"] == "details")
    # The handler takes 4,000 characters of details; a Slack input takes at most 3,000.
    assert details["element"]["max_length"] == 3000


async def test_write_answer_opens_a_modal_slack_accepts(slack: SlackWorld) -> None:
    await slack.command("U0BOB", "/expert", "add visa")
    await slack.command("U0ANN", "/ask", "how do I renew a #visa before a trip?")
    await slack.settled(2)
    await slack.click("U0BOB", "qa.claim", "1", channel="DU0BOB")
    await slack.settled(3)
    await slack.click("U0BOB", "qa.answer_form", "1", channel="DU0BOB")
    await slack.settled(4)
    assert refused(slack, "views.open") == []
    [opened] = slack.fake.ok("views.open")
    view = opened["view"]
    assert view["callback_id"] == "qa.answer"
    assert view["blocks"][0]["element"]["max_length"] == 3000

    answered = await slack.submit("U0BOB", view, {"answer": {"value": "Renew online, 3 weeks."}})
    assert answered.status == 200
    await slack.settled(5)
    # The answer goes to the asker in the question's thread, where it was asked.
    thread = [c["text"] for c in slack.fake.ok("chat.postMessage") if c["channel"] == GENERAL]
    assert thread[-1].endswith(
        "answered your question #1 “how do I renew a #visa before a trip?”:\nRenew online, 3 weeks."
    )


async def test_the_fake_refuses_a_modal_slack_would(slack: SlackWorld) -> None:
    """The strictness the tests above rely on: an input over 3,000 is refused as by Slack."""
    client = await slack.adapter.clients.for_team("T0ACME")
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Idea"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "details",
                "label": {"type": "plain_text", "text": "Details"},
                "element": {"type": "plain_text_input", "action_id": "d", "max_length": 4000},
            }
        ],
    }
    with pytest.raises(SlackApiError) as refusal:
        await client.views_open(trigger_id="1.2.3", view=view)
    assert refusal.value.response["error"] == "invalid_arguments"
    assert refusal.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]"
    ]

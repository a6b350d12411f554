"""App Home: opening the Home tab publishes the person's overview with views.publish."""

from typing import Any

from tests.adapters.slack.conftest import SlackWorld

IDEAS = "C0IDEAS"


def home_opened(user: str, tab: str = "home") -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": tab,
        "event_ts": "1800000000.000900",
    }


def shown(view: dict[str, Any]) -> str:
    texts = []
    for block in view["blocks"]:
        if block["type"] == "header":
            texts.append("# " + block["text"]["text"])
        elif block["type"] == "actions":
            texts += [f"[{e['text']['text']}] {e['action_id']}" for e in block["elements"]]
        elif block["type"] == "section":
            texts.append(block["text"]["text"])
        elif block["type"] == "context":
            texts += [element["text"] for element in block["elements"]]
    return "\n".join(texts)


async def test_home_tab_shows_kudos_ideas_and_allowance(slack: SlackWorld) -> None:
    fake = slack.fake
    fake.channels["ideas"] = IDEAS
    fake.member_of.add(IDEAS)
    await slack.command("U0BOB", "/idea", "Buddy for new starters — pair each one with a buddy")
    await slack.command("U0ANN", "/kudos", "<@U0BOB|bob> thanks for the great demo #customer")
    await slack.command("U0BOB", "/kudos", "<@U0ANN|ann> thanks for the careful review")
    await slack.settled(3)

    await slack.event(home_opened("U0BOB"))
    await slack.settled(4)

    [published] = fake.ok("views.publish")
    assert published["user_id"] == "U0BOB"
    assert published["view"]["type"] == "home"
    page = shown(published["view"])
    assert "# Hello bob!" in page
    assert "[🎉 Give kudos] kudos.start" in page and "[❓ Ask a question] qa.start" in page
    assert "[💡 Post an idea] ideas.start" in page and "[⚙️ My settings] profile.settings" in page
    assert [b["type"] for b in published["view"]["blocks"]].count("divider") == 3
    assert "you can give 4 more today" in page  # five a day, one given
    assert "from ann: thanks for the great demo" in page
    assert "to ann: thanks for the careful review" in page
    assert "Buddy for new starters" in page and "new" in page
    assert "*⏳ Waiting on you*\nNothing needs you right now." in page
    assert "None open. Ask with `/ask your question`." in page


async def test_other_tabs_and_retries_publish_nothing_more(slack: SlackWorld) -> None:
    await slack.event(home_opened("U0ANN", tab="messages"))
    await slack.settled(1)
    assert slack.fake.ok("views.publish") == []

    body = slack.event_body(home_opened("U0ANN"), event_id="Ev0HOME")
    for retry in ("", "1"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "timeout"} if retry else {}
        await slack.post(body, "application/json", headers=headers)
    await slack.settled(3)
    [published] = slack.fake.ok("views.publish")
    assert published["user_id"] == "U0ANN"


async def test_a_home_tab_button_opens_its_modal(slack: SlackWorld) -> None:
    """A click on the tab comes from a view, not a message: the form opens all the same."""
    trigger = slack.trigger()
    await slack.interaction(
        {
            "type": "block_actions",
            "team": {"id": "T0ACME", "domain": "acme"},
            "user": {"id": "U0ANN", "username": "ann", "team_id": "T0ACME"},
            "api_app_id": "A0RAPPORT",
            "trigger_id": trigger,
            "container": {"type": "view", "view_id": "VH"},
            "view": {"id": "VH", "type": "home"},
            "actions": [
                {
                    "type": "button",
                    "action_id": "kudos.start",
                    "block_id": "b1",
                    "text": {"type": "plain_text", "text": "Give kudos"},
                    "action_ts": "1800000000.1",
                }
            ],
        }
    )
    await slack.settled(1)
    [opened] = slack.fake.ok("views.open")
    assert opened["trigger_id"] == trigger and opened["view"]["callback_id"] == "kudos.give"

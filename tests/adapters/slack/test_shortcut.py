"""The "Make this an idea" message shortcut turns someone's message into their idea."""

from typing import Any

from bot.store.db import Database
from tests.adapters.slack.conftest import GENERAL, SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.conftest import scalar

IDEAS = "C0IDEAS"


def shortcut(world: SlackWorld, user: str, author: str, text: str) -> dict[str, Any]:
    trigger = world.trigger()
    return {
        "type": "message_action",
        "callback_id": "rapport_idea",
        "trigger_id": trigger,
        "response_url": world.fake.response_url(trigger),
        "team": {"id": TEAM, "domain": "acme"},
        "channel": {"id": GENERAL, "name": "general"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "message_ts": "1700000000.000300",
        "message": {
            "type": "message",
            "user": author,
            "text": text,
            "ts": "1700000000.000300",
        },
        "action_ts": "1800000000.000001",
    }


async def test_message_shortcut_posts_the_authors_idea_once(
    slack: SlackWorld, db: Database
) -> None:
    fake = slack.fake
    fake.channels["ideas"] = IDEAS
    fake.member_of.add(IDEAS)
    text = "We could record the demos so <@U0ANN> and the night shift can watch them later"

    response = await slack.interaction(shortcut(slack, "U0ANN", "U0BOB", text))
    assert response.status == 200
    await slack.settled(1)

    # The idea's post, and its discussion thread opened under it.
    post, opener = [c for c in fake.ok("chat.postMessage") if c["channel"] == IDEAS]
    assert "thread_ts" not in post and "thread_ts" in opener
    assert "We could record the demos so @ann and the night shift" in post["text"]
    assert await scalar(db, "SELECT count(*) FROM idea WHERE source_ref IS NOT NULL") == 1
    author = "SELECT p.platform_user_id FROM idea i JOIN person p ON p.id = i.author_id"
    assert await scalar(db, author) == "U0BOB"
    [notice] = [c for c in fake.ok("chat.postMessage") if c["channel"] == "DU0BOB"]
    assert "<@U0ANN>" in notice["text"]
    [reply] = fake.ok("chat.postEphemeral")
    assert reply["user"] == "U0ANN"

    # The same message again, by someone else: no second idea, and a clear word why.
    await slack.interaction(shortcut(slack, "U0BOB", "U0BOB", text))
    await slack.settled(2)
    assert await scalar(db, "SELECT count(*) FROM idea") == 1
    assert "already one" in fake.ok("chat.postEphemeral")[-1]["text"]


async def test_shortcut_on_a_bot_message_is_refused_kindly(slack: SlackWorld) -> None:
    payload = shortcut(slack, "U0ANN", "", "a message posted by an integration")
    payload["message"]["bot_id"] = "B0OTHER"
    await slack.interaction(payload)
    await slack.settled(1)
    [reply] = slack.fake.ok("chat.postEphemeral")
    assert "cannot become an idea" in reply["text"]

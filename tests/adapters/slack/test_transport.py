"""The HTTP edge: signatures, stale and malformed requests, and every inbound kind."""

import json
import logging
import time

import pytest

from tests.adapters.slack.conftest import GENERAL, SlackWorld


async def test_unsigned_request_is_refused(slack: SlackWorld) -> None:
    body = slack.event_body({"type": "app_mention", "user": "U0ANN", "text": "hi"})
    response = await slack.post(body, "application/json", signed=False)
    assert response.status == 401
    assert slack.fake.calls == []


async def test_bad_signature_is_refused(slack: SlackWorld) -> None:
    body = slack.event_body({"type": "app_mention", "user": "U0ANN", "text": "hi"})
    response = await slack.post(
        body, "application/json", signed=False, headers={"X-Slack-Signature": "v0=" + "0" * 64}
    )
    assert response.status == 401


async def test_replayed_timestamp_is_refused(slack: SlackWorld) -> None:
    body = slack.event_body({"type": "app_mention", "user": "U0ANN", "text": "hi"})
    response = await slack.post(body, "application/json", timestamp=int(time.time()) - 600)
    assert response.status == 401
    assert slack.fake.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": "event_callback", "event": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ],
)
async def test_malformed_body_is_a_4xx_without_traceback(
    slack: SlackWorld, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    response = await slack.post(body, content_type)
    assert 400 <= response.status < 500
    assert "Traceback" not in await response.text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_url_verification_is_answered(slack: SlackWorld) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY"})
    response = await slack.post(body, "application/json")
    assert response.status == 200
    assert (await response.json())["challenge"] == "3eZbrw1aBm2rZgRNFdxV2595E9CY"


async def test_unknown_action_gets_a_friendly_reply(slack: SlackWorld) -> None:
    response = await slack.click("U0ANN", "polls.vote~3", "42")
    assert response.status == 200
    await slack.settled(1)
    [reply] = slack.fake.ok("chat.postEphemeral")
    assert reply["user"] == "U0ANN"
    assert reply["text"] == "That button or form is no longer active. Please start again."


async def test_direct_message_starting_with_a_command_is_that_command(slack: SlackWorld) -> None:
    dm = {
        "type": "message",
        "channel": "DU0ANN",
        "channel_type": "im",
        "user": "U0ANN",
        "text": "kudos help",
        "ts": "1800000000.000001",
    }
    await slack.event(dm)
    await slack.event({**dm, "text": "hello there", "ts": "1800000000.000002"})
    # Edits and the bot's own posts come back as message events: never answered (bolt drops
    # the bot's own before any listener sees them).
    await slack.event({**dm, "bot_id": "BBOT", "user": "UBOT", "ts": "1800000000.000004"})
    await slack.event({**dm, "subtype": "message_changed", "ts": "1800000000.000003"})
    await slack.settled(3)

    # The two DMs are handled side by side after their acks, so their answers may come in
    # either order.
    texts = sorted(c["text"] for c in slack.fake.ok("chat.postMessage") if c["channel"] == "DU0ANN")
    assert len(texts) == 2
    assert texts[0].startswith("*Kudos*: thank a colleague")
    assert texts[1].startswith("Hi, I'm Rapport.")


async def test_app_mention_with_a_command(slack: SlackWorld) -> None:
    mention = {
        "type": "app_mention",
        "channel": GENERAL,
        "user": "U0ANN",
        "text": "<@UBOT> kudos <@U0BOB> thanks for fixing the build so quickly",
        "ts": "1800000000.000010",
    }
    await slack.event(mention)
    await slack.settled(1)
    [announcement] = [c for c in slack.fake.ok("chat.postMessage") if c["channel"] == "C0KUDOS"]
    assert announcement["text"].endswith("<@U0BOB>: thanks for fixing the build so quickly")


async def test_renamed_slash_command(slack: SlackWorld) -> None:
    slack.adapter.slack_settings.commands["thanks"] = "kudos"
    await slack.command("U0ANN", "/thanks", "help")
    await slack.settled(1)
    [reply] = slack.fake.ok("chat.postEphemeral")
    assert reply["text"].startswith("*Kudos*")


async def test_command_in_a_channel_without_the_bot_answers_by_response_url(
    slack: SlackWorld,
) -> None:
    trigger = await slack.command("U0ANN", "/kudos", "help", channel="C0ELSEWHERE")
    await slack.settled(1)
    assert [c.error for c in slack.fake.calls if c.method == "chat.postEphemeral"] == [
        "not_in_channel"
    ]
    [answer] = slack.fake.responses
    assert (answer["url"], answer["response_type"]) == (trigger, "ephemeral")
    assert answer["text"].startswith("*Kudos*")

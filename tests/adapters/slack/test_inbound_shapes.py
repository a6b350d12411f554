"""Signed deliveries Rapport does not act on, or cannot read: answered, never a 404 or a 500,
and never a half-written record."""

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.contract.platform import Delivery, PermanentFailure
from bot.contract.ui import Destination, Message
from bot.store.db import Database
from tests.adapters.slack.conftest import GENERAL, SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.conftest import scalar

REVOKED = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
UNINSTALLED = {"type": "app_uninstalled"}


def stop_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "nothing more is sent" in r.getMessage()]


async def test_uninstall_in_single_workspace_mode_is_acknowledged_and_stops_sending(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    # Slack sends both when the app is uninstalled; each answered 200 so none is retried.
    for event in (REVOKED, UNINSTALLED):
        response = await slack.post(slack.event_body(event), "application/json")
        assert response.status == 200, await response.text()
    await slack.settled(2)
    assert stop_lines(caplog) == [
        f"Slack workspace {TEAM}: its bot token was revoked; nothing more is sent there until "
        "SLACK_BOT_TOKEN is replaced and Rapport restarted"
    ]
    queued = Delivery(
        key="k1",
        workspace=TEAM,
        destination=Destination(kind="channel", channel=GENERAL),
        message=Message(text="the weekly digest"),
    )
    with pytest.raises(PermanentFailure):
        await slack.adapter.platform.send(queued)
    assert slack.fake.ok("chat.postMessage") == []


async def test_user_tokens_revoked_leave_the_bot_sending(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    event = {"type": "tokens_revoked", "tokens": {"oauth": ["U0ANN"], "bot": []}}
    response = await slack.post(slack.event_body(event), "application/json")
    assert response.status == 200
    await slack.settled(1)
    assert stop_lines(caplog) == []


async def test_a_revoked_token_is_not_retried(slack: SlackWorld) -> None:
    """Another replica, which did not see the event, is told by Slack at its next send."""
    slack.fake.revoked.add("xoxb-test-token")
    queued = Delivery(
        key="k1",
        workspace=TEAM,
        destination=Destination(kind="channel", channel=GENERAL),
        message=Message(text="hi"),
    )
    with pytest.raises(PermanentFailure, match="token_revoked"):
        await slack.adapter.platform.send(queued)


def mention(**changes: Any) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U0ANN",
        "channel": GENERAL,
        "text": "<@UBOT> kudos help",
        "ts": "1800000000.000100",
    }
    return {**event, **changes}


def action(**changes: Any) -> dict[str, Any]:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "acme"},
        "user": {"id": "U0ANN", "team_id": TEAM},
        "trigger_id": "9.9.9",
        "channel": {"id": GENERAL},
        "actions": [{"type": "button", "action_id": "qa.claim", "value": "1"}],
    }
    return {**payload, **changes}


@pytest.mark.parametrize(
    "event",
    [
        mention(user={"id": "U0ANN", "name": "ann"}),
        mention(user=None),
        mention(channel=["C1"]),
        {**mention(type="message", channel_type="im"), "user": 42},
        {"type": "reaction_added", "user": "U0ANN", "reaction": "tada", "item": "C1:1.1"},
        {"type": "app_home_opened", "user": {"id": "U0ANN"}, "tab": "home"},
        {"type": "tokens_revoked", "tokens": "all of them"},
    ],
    ids=[
        "user-object",
        "user-null",
        "channel-list",
        "dm-user-number",
        "item-string",
        "home-user-object",
        "tokens-string",
    ],
)
async def test_an_event_of_the_wrong_shape_is_refused_and_stores_nothing(
    slack: SlackWorld, db: Database, event: dict[str, Any]
) -> None:
    people = await scalar(db, "SELECT count(*) FROM person")
    response = await slack.post(slack.event_body(event), "application/json")
    assert response.status == 400
    assert (await response.json())["error"].startswith("malformed")
    assert await scalar(db, "SELECT count(*) FROM person") == people
    assert [c.method for c in slack.fake.calls if c.method != "auth.test"] == []


@pytest.mark.parametrize(
    "payload",
    [
        action(user="U0ANN"),
        action(actions=[{"type": "button", "action_id": {"id": "qa.claim"}}]),
        action(channel="C0GENERAL"),
        {**action(type="view_submission", view={"callback_id": None}), "actions": None},
    ],
    ids=["user-string", "action-id-object", "channel-string", "view-without-callback"],
)
async def test_an_interaction_of_the_wrong_shape_is_refused(
    slack: SlackWorld, db: Database, payload: dict[str, Any]
) -> None:
    people = await scalar(db, "SELECT count(*) FROM person")
    response = await slack.interaction(payload)
    assert response.status == 400
    assert await scalar(db, "SELECT count(*) FROM person") == people


async def test_a_command_without_its_user_is_refused(slack: SlackWorld) -> None:
    body = urlencode({"team_id": TEAM, "command": "/kudos", "text": "help", "trigger_id": "1.2"})
    response = await slack.post(body, "application/x-www-form-urlencoded")
    assert response.status == 400


async def test_a_timestamp_that_is_not_a_number_is_refused_without_traceback(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    body = slack.event_body(mention())
    response = await slack.post(
        body, "application/json", headers={"X-Slack-Request-Timestamp": "abc"}
    )
    assert response.status == 401
    assert "Traceback" not in await response.text()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert json.loads(await response.text()) == {"error": "invalid request timestamp"}


async def test_an_unsigned_payload_of_the_wrong_shape_is_still_unauthorised(
    slack: SlackWorld,
) -> None:
    body = slack.event_body(mention(user={"id": "U0ANN"}))
    response = await slack.post(body, "application/json", signed=False)
    assert response.status == 401

"""Socket Mode: with an app token the bot opens a websocket (apps.connections.open) instead
of waiting for HTTP, acknowledges each envelope over it, and handles what it carried."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

from bot.store.db import Database
from tests.adapters.slack.conftest import GENERAL, SlackWorld
from tests.adapters.slack.fake_slack import TEAM
from tests.conftest import scalar
from tests.waiting import SAFETY


@dataclass
class FakeSocket:
    """Slack's Socket Mode end: says hello, sends envelopes, collects the acks."""

    envelopes: list[dict[str, Any]]
    acks: list[dict[str, Any]] = field(default_factory=list)
    all_acked: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1})
        for envelope in self.envelopes:
            await socket.send_json(envelope)
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            self.acks.append(json.loads(message.data))
            if len(self.acks) == len(self.envelopes):
                self.all_acked.set()
        return socket


def slash_command(world: SlackWorld, text: str) -> dict[str, Any]:
    trigger = world.trigger()
    return {
        "envelope_id": "57d6a792-4d35-4d0b-b6aa-3361493e1caf",
        "type": "slash_commands",
        "accepts_response_payload": True,
        "payload": {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "acme",
            "channel_id": GENERAL,
            "channel_name": "general",
            "user_id": "U0ANN",
            "user_name": "ann",
            "command": "/kudos",
            "text": text,
            "api_app_id": "A0RAPPORT",
            "response_url": world.fake.response_url(trigger),
            "trigger_id": trigger,
        },
    }


@pytest.fixture
async def socket(slack: SlackWorld) -> AsyncIterator[FakeSocket]:
    fake = FakeSocket([slash_command(slack, "<@U0BOB|bob> thanks for pairing on the release")])
    app = web.Application()
    app.router.add_get("/link", fake.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    slack.fake.socket_url = str(server.make_url("/link")).replace("http://", "ws://")
    yield fake
    await server.close()


async def test_a_slash_command_over_the_socket_is_acked_and_handled(
    slack: SlackWorld, socket: FakeSocket
) -> None:
    running = asyncio.create_task(slack.adapter.run_socket_mode("xapp-1-A0RAPPORT-test"))
    try:
        async with asyncio.timeout(SAFETY):
            await socket.all_acked.wait()
        await slack.settled(1)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

    [opened] = [c for c in slack.fake.calls if c.method == "apps.connections.open"]
    assert opened.token == "xapp-1-A0RAPPORT-test"
    assert [ack["envelope_id"] for ack in socket.acks] == [socket.envelopes[0]["envelope_id"]]
    announced = [c["text"] for c in slack.fake.ok("chat.postMessage")]
    assert any("<@U0ANN> gave kudos to <@U0BOB>" in text for text in announced)


async def test_an_event_of_the_wrong_shape_over_the_socket_is_acked_and_dropped(
    slack: SlackWorld, db: Database
) -> None:
    event = {"type": "app_mention", "user": {"id": "U0ANN"}, "channel": GENERAL, "ts": "1.1"}
    malformed = {
        "envelope_id": "0b1f1a46-7d44-4c55-9e2a-9d1c0f1d2e3f",
        "type": "events_api",
        "accepts_response_payload": False,
        "payload": json.loads(slack.event_body({**event, "text": "<@UBOT> kudos help"})),
    }
    fake = FakeSocket([malformed, slash_command(slack, "<@U0BOB> thanks for the review")])
    app = web.Application()
    app.router.add_get("/link", fake.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    slack.fake.socket_url = str(server.make_url("/link")).replace("http://", "ws://")
    running = asyncio.create_task(slack.adapter.run_socket_mode("xapp-1-A0RAPPORT-test"))
    try:
        async with asyncio.timeout(10):
            await fake.all_acked.wait()
        await slack.settled(1)  # the command; the malformed event never became work
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await server.close()

    assert len(fake.acks) == 2
    assert await scalar(db, "SELECT count(*) FROM person WHERE platform_user_id LIKE '{%'") == 0
    [kudos] = [c["text"] for c in slack.fake.ok("chat.postMessage") if "gave kudos" in c["text"]]
    assert "<@U0BOB>" in kudos

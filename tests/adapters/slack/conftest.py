"""A wired bot with the Slack adapter on, the fake Slack Web API, and signed requests to it."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.signature import SignatureVerifier

from adapters.slack import SlackAdapter
from adapters.slack.settings import SECTION as SLACK
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly, assemble
from bot.wiring.config import Settings
from bot.wiring.web import make_web_app
from handlers import build_router
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.waiting import SAFETY

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
GENERAL = "C0GENERAL"
KUDOS = "C0KUDOS"


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(channels={"general": GENERAL, "kudos": KUDOS}, member_of={GENERAL, KUDOS})
    fake.user("U0ANN", "ann", "Europe/London")
    fake.user("U0BOB", "bob", "America/New_York")
    fake.user("UBOT", "rapport", is_bot=True)
    await fake.start()
    yield fake
    await fake.close()


def slack_settings(settings: Settings, fake: FakeSlack) -> Settings:
    return settings.with_section(
        SLACK, bot_token="xoxb-test-token", signing_secret=SECRET, api_base_url=fake.api_url
    )


@dataclass
class SlackWorld:
    """The bot behind its HTTP server, and a Slack that signs what it sends."""

    rapport: Assembly
    fake: FakeSlack
    http: TestClient[Any, Any]
    _triggers: int = 0
    _events: int = 0
    sent: list[ClientResponse] = field(default_factory=list)

    @property
    def adapter(self) -> SlackAdapter:
        assert self.rapport.slack is not None
        return self.rapport.slack

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signed: bool = True,
        headers: dict[str, str] | None = None,
    ) -> ClientResponse:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, **(headers or {})}
        if signed:
            sent["X-Slack-Signature"] = SignatureVerifier(SECRET).generate_signature(
                timestamp=stamp, body=body
            )
        response = await self.http.post("/slack/events", data=body.encode(), headers=sent)
        self.sent.append(response)
        return response

    async def settled(self, count: int) -> None:
        """Wait until `count` deliveries have been handled (ack and after), then send out."""
        async with asyncio.timeout(SAFETY):
            await self.adapter.wait_completed(count)
        await self.rapport.runtime.settle()

    def trigger(self) -> str:
        self._triggers += 1
        return f"{self._triggers}.98765.abcdef{self._triggers}"

    async def command(
        self, user: str, command: str, text: str, channel: str = GENERAL, team: str = TEAM
    ) -> str:
        trigger = self.trigger()
        body = urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "team_domain": "acme",
                "channel_id": channel,
                "channel_name": "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0RAPPORT",
                "response_url": self.fake.response_url(trigger),
                "trigger_id": trigger,
            }
        )
        response = await self.post(body, "application/x-www-form-urlencoded")
        assert response.status == 200, await response.text()
        return trigger

    def event_body(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        team: str = TEAM,
        org: str | None = None,
        org_wide: bool = False,
    ) -> str:
        """An Events API delivery; from a team of the Grid org `org`, to the org-wide install
        when `org_wide` (its authorization names the org and no team), as Slack sends them."""
        self._events += 1
        grid = {} if org is None else {"enterprise_id": org}
        authorization = {
            **grid,
            "team_id": None if org_wide else team,
            "user_id": "UBOT",
            "is_bot": True,
            "is_enterprise_install": org_wide,
        }
        return json.dumps(
            {
                "token": "legacy",
                **grid,
                "team_id": team,
                "api_app_id": "A0RAPPORT",
                "event": event,
                "type": "event_callback",
                "event_id": event_id or f"Ev0{self._events:08d}",
                "event_time": 1800000000,
                "authorizations": [authorization],
                "is_ext_shared_channel": False,
            }
        )

    async def event(
        self,
        event: dict[str, Any],
        team: str = TEAM,
        org: str | None = None,
        org_wide: bool = False,
        **headers: str,
    ) -> ClientResponse:
        body = self.event_body(event, team=team, org=org, org_wide=org_wide)
        response = await self.post(body, "application/json", headers=headers)
        assert response.status == 200, await response.text()
        return response

    async def interaction(self, payload: dict[str, Any]) -> ClientResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(
        self, user: str, action_id: str, value: str, *, channel: str = GENERAL, ts: str = "1.1"
    ) -> ClientResponse:
        trigger = self.trigger()
        return await self.interaction(
            {
                "type": "block_actions",
                "team": {"id": TEAM, "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": TEAM},
                "api_app_id": "A0RAPPORT",
                "trigger_id": trigger,
                "container": {"type": "message", "message_ts": ts, "channel_id": channel},
                "channel": {"id": channel, "name": "general"},
                "response_url": self.fake.response_url(trigger),
                "actions": [
                    {
                        "type": "button",
                        "action_id": action_id,
                        "block_id": "b1",
                        "value": value,
                        "text": {"type": "plain_text", "text": "Go"},
                        "action_ts": "1800000000.1",
                    }
                ],
            }
        )

    async def submit(
        self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]
    ) -> ClientResponse:
        """Submit a modal the bot opened, with each input's state as Slack reports it."""
        state = {
            block_id: {block_id: {"type": element_type(view, block_id), **value}}
            for block_id, value in values.items()
        }
        return await self.interaction(
            {
                "type": "view_submission",
                "team": {"id": TEAM, "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": TEAM},
                "api_app_id": "A0RAPPORT",
                "trigger_id": self.trigger(),
                "view": {
                    "id": "V1",
                    "team_id": TEAM,
                    "type": "modal",
                    "blocks": view["blocks"],
                    "private_metadata": view["private_metadata"],
                    "callback_id": view["callback_id"],
                    "state": {"values": state},
                    "hash": "1800000000.abc",
                },
            }
        )


def element_type(view: dict[str, Any], block_id: str) -> str:
    return next(str(b["element"]["type"]) for b in view["blocks"] if b["block_id"] == block_id)


@asynccontextmanager
async def slack_world(
    db: Database, wired: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackWorld]:
    rapport = await assemble(wired, build_router(), clock, None, db=db)
    assert rapport.slack is not None
    server = TestServer(make_web_app(rapport.bot, rapport.slack), host="127.0.0.1")
    http: TestClient[Any, Any] = TestClient(server)
    await http.start_server()
    yield SlackWorld(rapport, fake_slack, http)
    await http.close()
    await rapport.runtime.intake.close()
    await rapport.slack.close()


@pytest.fixture
async def slack(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackWorld]:
    async with slack_world(db, slack_settings(settings, fake_slack), clock, fake_slack) as world:
        yield world

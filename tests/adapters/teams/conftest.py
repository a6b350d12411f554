"""The bot behind its HTTP server with the Teams adapter on (anonymous mode, as for local
testing), and a fake Bot Connector that the activities' serviceUrl points at."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from adapters.teams import TeamsAdapter
from adapters.teams.settings import SECTION as TEAMS
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly, assemble
from bot.wiring.config import Settings
from bot.wiring.web import make_web_app
from handlers import build_router
from tests.adapters.teams import payloads
from tests.adapters.teams.fake_connector import FakeConnector
from tests.serving import as_served


def teams_settings(settings: Settings, **changes: Any) -> Settings:
    return settings.with_section(TEAMS, anonymous_allowed=True, **changes)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector(
        channels={
            payloads.TEAM: [
                {"id": payloads.TEAM},
                {"id": payloads.KUDOS_CHANNEL, "name": "kudos"},
                {"id": payloads.IDEAS_CHANNEL, "name": "ideas"},
            ]
        }
    )
    await fake.start()
    yield fake
    await fake.close()


@dataclass
class TeamsWorld:
    rapport: Assembly
    connector: FakeConnector
    http: TestClient[Any, Any]

    @property
    def adapter(self) -> TeamsAdapter:
        assert self.rapport.teams is not None
        return self.rapport.teams

    @property
    def url(self) -> str:
        return self.connector.url

    async def post(self, activity: dict[str, Any]) -> ClientResponse:
        return await self.http.post("/api/messages", json=activity)

    async def settle(self) -> None:
        await self.rapport.runtime.settle()


@pytest.fixture
async def teams(
    db: Database, settings: Settings, clock: VirtualClock, connector: FakeConnector
) -> AsyncIterator[TeamsWorld]:
    rapport = await assemble(teams_settings(settings), build_router(), clock, None, db=db)
    app = await as_served(make_web_app(rapport.bot, teams=rapport.teams), rapport.bot)
    http = TestClient(TestServer(app, host="127.0.0.1"))
    await http.start_server()
    yield TeamsWorld(rapport, connector, http)
    await http.close()
    await rapport.close()

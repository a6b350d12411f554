"""POST /api/messages: authentication on that route only, and bad input answered with a 4xx."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jwt
import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.teams.settings import SECTION as TEAMS
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import assemble
from bot.wiring.config import Settings
from bot.wiring.web import make_web_app
from handlers import build_router
from tests.adapters.teams import payloads
from tests.adapters.teams.conftest import TeamsWorld
from tests.serving import as_served

CLIENT_ID = "00000000-0000-0000-0000-0000000000aa"
# Nothing here depends on the database engine: one backend is enough.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@asynccontextmanager
async def with_entra_app(
    db: Database, settings: Settings, clock: VirtualClock
) -> AsyncIterator[TestClient[Any, Any]]:
    """The server as deployed: an Entra app configured, so every request needs a token."""
    configured = settings.with_section(
        TEAMS, client_id=CLIENT_ID, client_secret="not-used-offline", tenant_id=payloads.TENANT
    )
    rapport = await assemble(configured, build_router(), clock, None, db=db)
    assert rapport.teams is not None and "teams" in rapport.bot.platforms
    app = await as_served(make_web_app(rapport.bot, teams=rapport.teams), rapport.bot)
    http = TestClient(TestServer(app, host="127.0.0.1"))
    await http.start_server()
    try:
        yield http
    finally:
        await http.close()
        await rapport.close()


ACTIVITY = payloads.personal_message(
    "http://127.0.0.1:9/", payloads.ANN, payloads.ANN_CHAT, "kudos help"
)


async def test_without_anonymous_mode_a_request_without_token_gets_401(
    db: Database, settings: Settings, clock: VirtualClock
) -> None:
    async with with_entra_app(db, settings, clock) as http:
        activity = ACTIVITY
        unauthenticated = await http.post("/api/messages", json=activity)
        assert unauthenticated.status == 401
        wrong_scheme = await http.post(
            "/api/messages", json=activity, headers={"Authorization": "Basic YW5uOnB3"}
        )
        assert wrong_scheme.status == 401
        # The guard is on /api/messages only: health checks need no Bot Framework token.
        health = await http.get("/healthz")
        assert health.status == 200
        assert "teams" in (await health.json())["platforms"]


@pytest.mark.parametrize(
    "token",
    [
        # Signed, but with no `kid` in its header to pick Microsoft's signing key by.
        jwt.encode({"aud": CLIENT_ID, "iss": "https://api.botframework.com"}, "x" * 32),
        "not.a.jwt",
        "e30.e30.",  # `{}` for header and claims
    ],
)
async def test_a_malformed_token_gets_401_and_one_log_line(
    db: Database,
    settings: Settings,
    clock: VirtualClock,
    token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with with_entra_app(db, settings, clock) as http:
        with caplog.at_level(logging.INFO):
            response = await http.post(
                "/api/messages", json=ACTIVITY, headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status == 401
            assert "Traceback" not in await response.text()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert token not in caplog.text


async def test_teams_is_off_without_client_id_or_anonymous_mode(
    db: Database, settings: Settings, clock: VirtualClock
) -> None:
    rapport = await assemble(settings, build_router(), clock, None, db=db)
    assert rapport.teams is None and "teams" not in rapport.bot.platforms
    await rapport.close()


async def test_malformed_requests_get_400_without_a_traceback(teams: TeamsWorld) -> None:
    not_json = await teams.http.post(
        "/api/messages", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert not_json.status == 400
    not_an_object = await teams.post([1, 2, 3])  # type: ignore[arg-type]
    assert not_an_object.status == 400
    no_conversation = await teams.post({"type": "message", "text": "hi"})
    assert no_conversation.status == 400
    wrong_types = await teams.post({"type": "message", "conversation": {"id": 5}, "from": "x"})
    assert wrong_types.status == 400
    assert "Traceback" not in await wrong_types.text()
    assert teams.connector.calls == []


async def test_health_stays_open_in_anonymous_mode(teams: TeamsWorld) -> None:
    assert (await teams.http.get("/healthz")).status == 200

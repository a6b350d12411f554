"""The server `rapport run` opens before its features load: the probes, and the late
application that takes every other route once it is served (bot/wiring/serve.py).

In process, on aiohttp's test server, with a stand-in late application: a POST route, and a
sub-application whose middleware refuses requests without a token, as SCIM's does.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.store.db import Database, make_engine
from bot.wiring.late_app import LateApp
from bot.wiring.probes import Phase, Readiness
from bot.wiring.serve import front_app

Client = TestClient[Any, Any]
NAME = web.AppKey("name", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def _token(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.headers.get("Authorization") != "Bearer t":
        return web.json_response({"error": "a token is needed"}, status=401)
    return await handler(request)


async def _posted(request: web.Request) -> web.Response:
    return web.json_response({"app": request.app[NAME]})


def _late_app() -> web.Application:
    app = web.Application()
    app[NAME] = "late"
    app.router.add_post("/slack/events", _posted)
    guarded = web.Application(middlewares=[_token])
    guarded[NAME] = "guarded"
    guarded.router.add_get("/Users", _posted)
    app.add_subapp("/scim/v2", guarded)
    return app


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Client, Readiness, LateApp]]:
    db = Database(make_engine(f"sqlite+aiosqlite:///{tmp_path}/probes.db"))
    readiness, late = Readiness(db, "replica-1"), LateApp()
    client: Client = TestClient(TestServer(front_app(readiness, late), host="127.0.0.1"))
    await client.start_server()
    try:
        yield client, readiness, late
    finally:
        await client.close()  # the late application's cleanup too
        await db.dispose()


async def test_loading_healthy_but_not_ready_and_every_other_route_says_come_back(
    served: tuple[Client, Readiness, LateApp],
) -> None:
    client, _, _ = served
    health = await client.get("/healthz")
    assert health.status == 200
    body = await health.json()
    assert (body["status"], body["features"], body["replica"]) == ("ok", "loading", "replica-1")
    ready = await client.get("/readyz")
    assert (ready.status, (await ready.json())["status"]) == (503, "loading")
    for method, path in (("POST", "/slack/events"), ("GET", "/anything/at/all")):
        refused = await client.request(method, path)
        assert refused.status == 503
        assert refused.headers["Retry-After"] == "5"


async def test_once_served_the_late_routes_answer_with_their_own_middlewares(
    served: tuple[Client, Readiness, LateApp],
) -> None:
    client, readiness, late = served
    await late.serve(_late_app())
    readiness.ready(["local"], lambda: True)
    ready = await client.get("/readyz")
    assert ready.status == 200
    assert (await ready.json())["platforms"] == ["local"]
    posted = await client.post("/slack/events")
    assert (posted.status, (await posted.json())["app"]) == (200, "late")  # request.app
    assert (await client.get("/slack/events")).status == 405
    assert (await client.get("/nowhere")).status == 404
    assert (await client.get("/scim/v2/Users")).status == 401  # the sub-app's middleware ran
    allowed = await client.get("/scim/v2/Users", headers={"Authorization": "Bearer t"})
    assert (await allowed.json())["app"] == "guarded"
    readiness.phase = Phase.STOPPING
    stopping = await client.get("/readyz")
    assert (stopping.status, (await stopping.json())["status"]) == (503, "stopping")
    assert (await client.get("/healthz")).status == 200


async def test_without_the_database_neither_healthy_nor_ready() -> None:
    # Nothing listens on port 1: the connection is refused at once.
    unreachable = Database(make_engine("postgresql+asyncpg://rapport:x@127.0.0.1:1/rapport"))
    readiness = Readiness(unreachable, "replica-1")
    readiness.ready(["local"], lambda: False)
    client: Client = TestClient(TestServer(front_app(readiness, LateApp()), host="127.0.0.1"))
    await client.start_server()
    try:
        for probe in ("/healthz", "/readyz"):
            answer = await client.get(probe)
            assert answer.status == 503
            assert (await answer.json())["database"] == "unreachable"
    finally:
        await client.close()
        await unreachable.dispose()

"""A scheduled nudge reaches a person in Teams through the outbox and their stored chat."""

import json
from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.contract.context import WorkContext
from bot.models import Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.time.scheduler import add_schedule
from bot.wiring.assembly import assemble
from bot.wiring.config import Settings
from bot.wiring.web import make_web_app
from handlers import build_router
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import teams_settings
from tests.adapters.teams.fake_connector import FakeConnector


async def nudge(ctx: WorkContext) -> None:
    person = await ctx.person(str(ctx.due.payload["user"]))
    assert person is not None
    ctx.dm(person, "Time for your weekly check-in, <@" + person.platform_user_id + ">.")


async def test_scheduled_nudge_is_a_proactive_dm(
    db: Database, settings: Settings, clock: VirtualClock, connector: FakeConnector
) -> None:
    router = build_router()
    router.schedule("test.nudge")(nudge)
    rapport = await assemble(teams_settings(settings), router, clock, None, db=db)
    assert rapport.teams is not None
    http = TestClient(TestServer(make_web_app(rapport.bot, teams=rapport.teams), host="127.0.0.1"))
    await http.start_server()
    try:
        hello = P.personal_message(connector.url, P.BOB, P.BOB_CHAT, "kudos help")
        assert (await http.post("/api/messages", json=hello)).status == 202
        await rapport.runtime.settle()
        before = len(connector.sent(P.BOB_CHAT))
        async with rapport.db.session() as session:
            workspace = (
                await session.exec(select(Workspace).where(Workspace.platform == "teams"))
            ).one()
            await add_schedule(
                session,
                workspace,
                "test.nudge",
                {"type": "date", "at": (clock.now() + timedelta(hours=1)).isoformat()},
                now=clock.now(),
                payload={"user": P.BOB["id"]},
            )
        await rapport.runtime.advance(timedelta(hours=2))
        (nudged,) = connector.sent(P.BOB_CHAT)[before:]
        assert "Time for your weekly check-in, <at>Bob Ray</at>." in json.dumps(nudged.body)
        assert connector.created() == []
    finally:
        await http.close()
        await rapport.close()

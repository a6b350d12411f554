"""discord.py connected to a fake gateway over a real websocket: reconnects and resumes, replays
of READY and GUILD_CREATE, and `rapport run` starting and stopping the client task.

The outbox talks to Discord's REST API, not the gateway; these tests check that what happens
to the gateway (a dropped socket, a resume, replayed dispatches) neither loses nor repeats a
message or an event.
"""

import asyncio
import io
import os
import secrets
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import discord.http
import pytest
import yarl
from aiohttp.test_utils import TestServer
from discord.gateway import DiscordWebSocket
from sqlmodel import func, select

from adapters.discord.settings import SECTION as DISCORD
from bot.contract.app import delivery_digest
from bot.contract.ui import Destination, text_message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from bot.models import OutboxMessage, ProcessedEvent, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly, assemble
from bot.wiring.config import Settings
from bot.wiring.serve import serve
from handlers import build_router
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, BOB
from tests.adapters.discord.fake_discord import APP_ID, GUILD_ID, KUDOS_ID, FakeDiscord
from tests.adapters.discord.fake_gateway import IDENTIFY, RESUME, SESSION, FakeGateway
from tests.waiting import SAFETY, until, until_async

SYNC = f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"
ANN_DM = "82" + ANN["id"][2:]


@dataclass
class Live:
    fake: FakeDiscord
    gateway: FakeGateway
    settings: Settings


@pytest.fixture
async def live(db: Database, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Live]:
    fake = FakeDiscord(users={u["id"]: u for u in (ANN, BOB)})
    gateway = FakeGateway()
    gateway.guilds = [
        payloads.guild_create([payloads.text_channel(), payloads.text_channel(KUDOS_ID, "kudos")])
    ]
    app = fake.app()
    gateway.mount(app)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    saved = discord.http.Route.BASE
    fake.base_url = f"http://127.0.0.1:{server.port}/api/v10"
    gateway.url = f"ws://127.0.0.1:{server.port}/gateway"
    # discord.py opens its first connection at this URL (later ones at READY's resume URL).
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(gateway.url))
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        seed_demo=False,
    ).with_section(DISCORD, token="test-token", api_base_url=fake.base_url)
    yield Live(fake, gateway, settings)
    discord.http.Route.BASE = saved
    await server.close()


@pytest.fixture
async def connected(
    live: Live, db: Database, clock: VirtualClock
) -> AsyncIterator[tuple[Assembly, asyncio.Task[None]]]:
    assembly = await assemble(live.settings, build_router(), clock, None, db=db)
    assert assembly.discord is not None
    task = asyncio.create_task(assembly.discord.run())
    client = assembly.discord.client
    await until(lambda: client.is_ready() and live.fake.find("PUT", SYNC), "the client to be ready")
    yield assembly, task
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await assembly.close()


async def count(db: Database, model: type, *where: object) -> int:
    async with db.session() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()  # type: ignore[call-overload,no-any-return]


async def test_a_message_queued_while_the_gateway_is_away_goes_out_once(
    live: Live, connected: tuple[Assembly, asyncio.Task[None]], clock: VirtualClock
) -> None:
    assembly, _ = connected
    fake, gateway = live.fake, live.gateway
    [identify] = gateway.ops(IDENTIFY)
    assert identify["d"]["token"] == "test-token"

    # The gateway node restarts; Discord is briefly unwell (503) while the client reconnects.
    gateway.accepting.clear()
    await gateway.drop(4000)
    await until(lambda: not gateway.open_now.is_set(), "the drop")
    async with assembly.db.session() as session:
        workspace = await ensure_workspace(session, "discord", GUILD_ID, "Acme", clock.now())
        writer = OutboxWriter(session, workspace, f"t:{secrets.token_hex(3)}", clock.now())
        key = writer.add(Destination(kind="channel", channel="kudos"), text_message("Hello"))
    fake.fail_next("POST", f"/channels/{KUDOS_ID}/messages", 503)
    await assembly.runtime.settle()
    async with assembly.db.session() as session:
        row = (await session.exec(select(OutboxMessage).where(OutboxMessage.key == key))).one()
    assert row.status == "pending" and row.attempts == 1

    # Meanwhile Ann writes to the bot: Discord keeps the dispatch for the resume.
    dm = payloads.direct_message(ANN, ANN_DM, "kudos help")
    await gateway.dispatch("MESSAGE_CREATE", dm)
    gateway.accepting.set()
    await until(lambda: gateway.ops(RESUME), "the resume")
    [resume] = gateway.ops(RESUME)
    assert resume["d"]["session_id"] == SESSION and resume["d"]["seq"] == 2
    assert len(gateway.ops(IDENTIFY)) == 1  # resumed, not a new session

    # Discord may send a dispatch again after a resume: it is handled once.
    await gateway.dispatch("MESSAGE_CREATE", dm)
    await until_async(
        lambda: count(
            assembly.db, ProcessedEvent, ProcessedEvent.event_id == delivery_digest(dm["id"])
        ),
        "the direct message to be handled",
    )
    await assembly.runtime.advance(timedelta(minutes=5))
    await asyncio.sleep(0.2)
    await assembly.runtime.settle()

    attempts = fake.find("POST", f"/channels/{KUDOS_ID}/messages")
    assert len(attempts) == 2 and attempts[0].json["nonce"] == attempts[1].json["nonce"]
    assert (
        len(fake.nonces) >= 1
        and sum(1 for m in fake.messages.values() if m["channel_id"] == KUDOS_ID) == 1
    )
    assert len(fake.find("POST", f"/channels/{ANN_DM}/messages")) == 1
    assert (
        await count(
            assembly.db, ProcessedEvent, ProcessedEvent.event_id == delivery_digest(dm["id"])
        )
        == 1
    )
    assert len(fake.find("PUT", SYNC)) == 1  # a resume is not a new start: no second sync


async def test_replayed_ready_and_guild_create_do_nothing_twice(
    live: Live, connected: tuple[Assembly, asyncio.Task[None]]
) -> None:
    assembly, _ = connected
    gateway = live.gateway
    assert await count(assembly.db, Workspace, Workspace.external_id == GUILD_ID) == 1
    await gateway.dispatch("GUILD_CREATE", gateway.guilds[0])
    await gateway.dispatch("READY", gateway._ready())
    await gateway.dispatch("GUILD_CREATE", gateway.guilds[0])
    await asyncio.sleep(2.5)  # discord.py waits up to 2 s for guilds before on_ready
    assert assembly.discord is not None and assembly.discord.client.is_ready()

    assert len(live.fake.find("PUT", SYNC)) == 1
    assert await count(assembly.db, Workspace, Workspace.platform == "discord") == 1
    async with assembly.db.session() as session:
        workspace = (
            await session.exec(select(Workspace).where(Workspace.platform == "discord"))
        ).one()
    assert workspace.name == "Acme"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_rapport_run_starts_the_discord_client_and_stops_it_cleanly(
    live: Live, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no console: its reader ends at once
    settings = live.settings.model_copy(
        update={
            "database_url": f"sqlite+aiosqlite:///{tmp_path}/run.db",
            "http_host": "127.0.0.1",
            "http_port": _free_port(),
            "replica_id": "test-run",
        }
    )
    serving = asyncio.create_task(serve(settings, lambda line: None, None, lambda _: settings))
    await until(lambda: live.fake.find("PUT", SYNC), "commands synced by the running client")
    assert len(live.gateway.ops(IDENTIFY)) == 1 and live.gateway.connections == 1

    os.kill(os.getpid(), signal.SIGTERM)  # what docker stop sends
    await asyncio.wait_for(serving, timeout=SAFETY)

    assert serving.exception() is None
    await until(lambda: live.gateway._socket is None or live.gateway._socket.closed, "the close")
    assert live.gateway.connections == 1  # stopped, not reconnecting

"""A wired bot whose Discord client is logged in against the local fake of Discord's API."""

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import discord.http
import pytest
from aiohttp.test_utils import TestServer

from adapters.discord.client import RapportClient
from adapters.discord.settings import SECTION as DISCORD
from bot.contract.app import delivery_digest
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly, assemble
from bot.wiring.config import Settings
from handlers import build_router
from tests.adapters.discord import payloads
from tests.adapters.discord.fake_discord import GENERAL_ID, KUDOS_ID, FakeDiscord, user
from tests.conftest import scalar
from tests.waiting import until, until_async

ANN = user("100000000000000001", "Ann")
BOB = user("100000000000000002", "Bob")
GONE = user("100000000000000009", "Gone")


@dataclass
class Harness:
    fake: FakeDiscord
    assembly: Assembly
    client: RapportClient

    def feed(self, event: str, payload: dict[str, Any]) -> None:
        """Hand a gateway event to discord.py exactly as its websocket reader would."""
        self.client._connection.parsers[event](payload)

    async def until(self, check: Callable[[], object], what: str) -> None:
        """Wait for discord.py's own tasks (it runs every event in a task of its own)."""
        await until(check, f"{what}; calls: {self.fake.calls}")

    async def handled(self, event_id: str) -> None:
        """Wait until the bot has committed its handling of one event."""
        digest = delivery_digest(event_id)
        sql = f"SELECT count(*) FROM processed_event WHERE event_id = '{digest}'"
        await until_async(lambda: scalar(self.assembly.db, sql), f"event {event_id} handled")

    async def settle(self) -> None:
        await self.assembly.runtime.settle()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(users={u["id"]: u for u in (ANN, BOB)})
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    saved = discord.http.Route.BASE
    fake.base_url = f"http://127.0.0.1:{server.port}/api/v10"
    yield fake
    discord.http.Route.BASE = saved
    await server.close()


@pytest.fixture
async def harness(db: Database, clock: VirtualClock, fake: FakeDiscord) -> AsyncIterator[Harness]:
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        seed_demo=False,  # the demo workspace is the local platform's, not Discord's
    ).with_section(DISCORD, token="test-token", api_base_url=fake.base_url)
    assembly = await assemble(settings, build_router(), clock, None, db=db)
    assert assembly.discord is not None
    client = assembly.discord.client
    await client.login(assembly.discord.token)
    harness = Harness(fake, assembly, client)
    harness.feed(
        "GUILD_CREATE",
        payloads.guild_create([payloads.text_channel(), payloads.text_channel(KUDOS_ID, "kudos")]),
    )
    yield harness
    await assembly.close()


__all__ = ["ANN", "BOB", "GENERAL_ID", "GONE", "KUDOS_ID", "Harness"]

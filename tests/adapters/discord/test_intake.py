"""A Discord interaction is in the database by the time it is acknowledged, until handled."""

import asyncio

import pytest
from sqlmodel import select

from adapters.discord import client as client_module
from bot.contract.app import Outcome
from bot.contract.events import AnyEvent
from bot.models import InboundEvent
from handlers.kudos.tables import Kudos
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, BOB, Harness
from tests.adapters.discord.test_kudos import _user_option


async def stored(harness: Harness) -> list[str]:
    async with harness.assembly.runtime.intake.db.session() as session:
        return list((await session.exec(select(InboundEvent.event_id))).all())


async def test_an_acknowledged_interaction_is_stored_until_handled(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "ACK_BUDGET_SECONDS", 0)  # deferred at once
    bot = harness.assembly.bot
    dispatch, release = bot.dispatch, asyncio.Event()

    async def slow(event: AnyEvent) -> Outcome:
        await release.wait()
        return await dispatch(event)

    monkeypatch.setattr(bot, "dispatch", slow)
    command = payloads.slash_command(
        ANN,
        "kudos",
        [_user_option("to", BOB), {"name": "text", "type": 3, "value": "thanks for the demo"}],
        resolved_users=[BOB],
    )
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    assert await stored(harness) == [command["id"]]
    release.set()
    await harness.handled(command["id"])
    await harness.assembly.runtime.intake.idle()
    assert await stored(harness) == []
    async with harness.assembly.db.session() as session:
        assert len((await session.exec(select(Kudos))).all()) == 1

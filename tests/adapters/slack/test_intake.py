"""Every Slack delivery the bot handles is in the database by the time Slack gets its 200,
once however often Slack sends it, and gone once handled."""

import asyncio

import pytest
from sqlmodel import select

from bot.contract.app import Outcome
from bot.contract.events import AnyEvent
from bot.models import InboundEvent
from bot.store.db import Database
from handlers.kudos.tables import Kudos
from tests.adapters.slack.conftest import GENERAL, SlackWorld


async def stored(slack: SlackWorld) -> list[str]:
    async with slack.rapport.runtime.intake.db.session() as session:
        return list((await session.exec(select(InboundEvent.event_id))).all())


async def test_a_delivery_is_stored_before_its_ack_and_handled_once(
    slack: SlackWorld, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = slack.rapport.bot
    dispatch, release = bot.dispatch, asyncio.Event()

    async def held_back(event: AnyEvent) -> Outcome:
        await release.wait()
        return await dispatch(event)

    monkeypatch.setattr(bot, "dispatch", held_back)
    reaction = {
        "type": "reaction_added",
        "user": "U0ANN",
        "reaction": "tada",
        "item_user": "U0BOB",
        "item": {"type": "message", "channel": GENERAL, "ts": "1700000000.000100"},
        "event_ts": "1800000000.000200",
    }
    body = slack.event_body(reaction, event_id="Ev0KUDOS")
    for retry in ("", "1"):  # Slack sends it again before the work is done
        headers = {"X-Slack-Retry-Num": retry} if retry else {}
        response = await slack.post(body, "application/json", headers=headers)
        assert response.status == 200
        assert await stored(slack) == ["Ev0KUDOS"]
    release.set()
    await slack.settled(2)
    await slack.rapport.runtime.intake.idle()  # the delete follows the work
    assert await stored(slack) == []
    async with db.session() as session:
        assert len((await session.exec(select(Kudos))).all()) == 1


async def test_a_delivery_that_needs_nothing_done_is_not_stored(
    slack: SlackWorld, db: Database
) -> None:
    edit = {"type": "message", "subtype": "message_changed", "channel": GENERAL, "ts": "1.2"}
    await slack.event(edit)
    await slack.settled(1)
    assert await stored(slack) == []

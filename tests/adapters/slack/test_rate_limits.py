"""The outbox against Slack's 429s: everything arrives, nothing twice, no real waiting, and a
limit on one Web API method holds back only that method."""

from collections import Counter
from datetime import timedelta

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.platform import SlackPlatform
from bot.contract.ui import Destination, Message
from bot.delivery.outbox import OutboxWriter, Sender
from bot.kit.people import ensure_workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from tests.adapters.slack.conftest import GENERAL
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.conftest import scalar

DMS = 1000
PEOPLE = 250


# SQLite only: this test is about Slack's 429s, and a thousand rows make it slow enough on
# one backend; the outbox's claim logic on PostgreSQL is tested by the core's own tests.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_thousand_dms_through_429s_arrive_exactly_once(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> None:
    people = [f"U{n:04d}P" for n in range(PEOPLE)]
    for person in people:
        fake_slack.user(person, person.lower())
    async with db.session() as session:
        workspace = await ensure_workspace(session, "slack", TEAM, "Acme", clock.now())
        outbox = OutboxWriter(session, workspace, "bulk", clock.now())
        for n in range(DMS):
            outbox.add(Destination(kind="dm", user=people[n % PEOPLE]), Message(text=f"note {n}"))
    fake_slack.rate_limit_every, fake_slack.retry_after = 50, 2
    http = aiohttp.ClientSession()
    client = AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url, session=http)
    sender = Sender(db, {"slack": SlackPlatform(client)}, clock, settings, "replica-1")
    start = clock.now()

    while await scalar(db, "SELECT count(*) FROM outbox_message WHERE status <> 'sent'"):
        # Small batches: a 429 puts back every row already claimed in the batch.
        await sender.drain(limit=25)
        clock.advance(timedelta(seconds=1))
    await http.close()

    delivered = Counter(c["text"] for c in fake_slack.ok("chat.postMessage"))
    assert delivered == Counter(f"note {n}" for n in range(DMS))
    limited = [c for c in fake_slack.calls if c.status == 429]
    assert len(limited) >= (DMS + PEOPLE) // 50
    assert {c.method for c in limited} == {"chat.postMessage", "conversations.open"}
    # Each 429 paused its method for its Retry-After, on the virtual clock; methods are
    # paused apart, so their pauses may overlap.
    per_method = Counter(c.method for c in limited)
    assert clock.now() - start >= timedelta(seconds=2 * max(per_method.values()))
    assert await scalar(db, "SELECT count(*) FROM outbox_message WHERE status = 'dead'") == 0


async def test_a_429_pauses_only_its_own_method(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> None:
    async with db.session() as session:
        workspace = await ensure_workspace(session, "slack", TEAM, "Acme", clock.now())
        outbox = OutboxWriter(session, workspace, "mixed", clock.now())
        outbox.add(Destination(kind="channel", channel=GENERAL), Message(text="to the channel"))
        outbox.add(Destination(kind="dm", user="U0BOB"), Message(text="to bob"))
        outbox.add(Destination(kind="home", user="U0ANN"), Message(text="ann's home"))
        outbox.add(
            Destination(kind="ephemeral", channel=GENERAL, user="U0ANN"), Message(text="psst")
        )
    fake_slack.limited_methods, fake_slack.retry_after = {"chat.postMessage": 1}, 30
    http = aiohttp.ClientSession()
    client = AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url, session=http)
    # One message at a time, so that every later row is looked at after the 429 came back:
    # what is under test is which of them the pause holds back (tests/test_outbox_lanes.py
    # has the pause met by conversations sent to at once).
    one_at_a_time = settings.model_copy(update={"outbox_concurrency": 1})
    sender = Sender(db, {"slack": SlackPlatform(client)}, clock, one_at_a_time, "replica-1")

    await sender.drain()
    # chat.postMessage said wait 30 s: the DM waits (without even opening its channel), while
    # the Home tab and the ephemeral reply, other methods, go out at once.
    assert [c.method for c in fake_slack.calls] == [
        "chat.postMessage",
        "views.publish",
        "chat.postEphemeral",
    ]
    assert fake_slack.calls[0].status == 429

    clock.advance(timedelta(seconds=29))
    # Written during the pause, for another method: claimed and sent, not held back.
    async with db.session() as session:
        outbox = OutboxWriter(session, workspace, "later", clock.now())
        outbox.add(Destination(kind="home", user="U0BOB"), Message(text="bob's home"))
    await sender.drain()
    assert fake_slack.ok("chat.postMessage") == []
    assert len(fake_slack.ok("views.publish")) == 2

    clock.advance(timedelta(seconds=1))
    await sender.drain()
    await http.close()
    assert [c["text"] for c in fake_slack.ok("chat.postMessage")] == ["to the channel", "to bob"]
    assert fake_slack.ok("conversations.open") == [{"users": "U0BOB"}]

"""The sender sends to several conversations at once (bot/delivery/outbox.py,
bot/delivery/outbox_lanes.py),
each conversation's messages one after another, on real databases.

The platform here stands for one behind a network: each send takes a few real milliseconds,
and it notes when each send began and ended, so overlap and order can be read off.
"""

import asyncio
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import event

from adapters.local.platform import LocalPlatform
from bot.contract.events import Actor
from bot.contract.platform import Delivery, RateLimited
from bot.contract.ui import Destination, text_message
from bot.delivery import outbox_lanes
from bot.delivery.outbox import OutboxWriter, Sender, SendReport
from bot.models import Workspace
from tests.test_outbox import START, Crash, World, world

__all__ = ["world"]


def channel(name: str) -> Destination:
    return Destination(kind="channel", channel=name)


@dataclass
class NetworkPlatform(LocalPlatform):
    """The local platform with a delay on each send; messages are named by their text."""

    instant_sends: bool = False
    latency: dict[str, float] = field(default_factory=dict)
    # text -> what its send raises after its delay, instead of sending
    refuse: dict[str, BaseException] = field(default_factory=dict)
    # text -> the text whose send must be over (done or refused) before this one goes through
    after: dict[str, str] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    in_flight: int = 0
    peak: int = 0
    over: defaultdict[str, asyncio.Event] = field(
        default_factory=lambda: defaultdict(asyncio.Event)
    )

    async def send(self, delivery: Delivery) -> str | None:
        text = delivery.message.text
        self.log.append(("start", text))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if text in self.after:
                await self.over[self.after[text]].wait()
            await asyncio.sleep(self.latency.get(text, 0.002))
            if text in self.refuse:
                raise self.refuse.pop(text)
            return await super().send(delivery)
        finally:
            self.in_flight -= 1
            self.log.append(("end", text))
            self.over[text].set()

    def texts(self) -> list[str]:
        """What reached the chat service, in order (not what was refused on the way)."""
        return [delivery.message.text for delivery in self.sends]

    def tried(self) -> list[str]:
        return [text for edge, text in self.log if edge == "start"]

    def ended_before_started(self, earlier: str, later: str) -> bool:
        return self.log.index(("end", earlier)) < self.log.index(("start", later))


@dataclass
class TogetherPlatform(NetworkPlatform):
    """Each send waits until `parties` sends are under way, so that they all end together."""

    parties: int = 8
    gate: asyncio.Barrier | None = None

    async def send(self, delivery: Delivery) -> str | None:
        self.gate = self.gate or asyncio.Barrier(self.parties)
        await self.gate.wait()
        return await super().send(delivery)


class BucketedPlatform(NetworkPlatform):
    """Limited per bucket, as Slack is per Web API method: posts and DMs apart."""

    def buckets(self, delivery: Delivery) -> list[str]:
        return ["dm" if delivery.destination.kind == "dm" else "post"]


async def write(world: World, *rows: tuple[Destination, str, str | None]) -> dict[str, str]:
    """Commit (destination, text, text of the message it edits) rows in one transaction, as a
    handler would; the outbox key of each, by text."""
    keys: dict[str, str] = {}
    async with world.db.session() as session:
        workspace = await session.get(Workspace, world.workspace_id)
        assert workspace is not None
        writer = OutboxWriter(session, workspace, f"from {rows[0][1]}", world.clock.now())
        for destination, text, edits in rows:
            update_of = keys[edits] if edits else None
            keys[text] = writer.add(destination, text_message(text), update_of=update_of)
    return keys


def sender(world: World, platform: NetworkPlatform, concurrency: int) -> Sender:
    settings = world.settings.model_copy(update={"outbox_concurrency": concurrency})
    return Sender(world.db, {"local": platform}, world.clock, settings, "a")


@pytest.mark.parametrize("concurrency", [3, 8])
async def test_conversations_are_sent_to_at_once_up_to_the_bound(
    world: World, concurrency: int
) -> None:
    platform = NetworkPlatform()
    texts = [f"hello #{n}" for n in range(20)]
    await write(world, *((channel(f"c{n}"), text, None) for n, text in enumerate(texts)))

    assert await sender(world, platform, concurrency).drain() == SendReport(sent=20)

    assert platform.peak == concurrency
    assert sorted(platform.texts()) == sorted(texts)  # each once
    assert len(platform.lines) == 20
    assert {row.status for row in await world.rows()} == {"sent"}


async def test_each_conversation_keeps_its_order_edits_and_replies_included(
    world: World,
) -> None:
    platform = NetworkPlatform(latency={"a1": 0.05})  # the first of #a is slow to go out
    keys = await write(
        world,
        (channel("a"), "a1", None),
        (channel("b"), "b1", None),
        (channel("a"), "a2", None),
        (channel("a"), "a1, edited", "a1"),
    )
    in_thread = Destination(kind="thread", channel="b", thread_of=keys["b1"])
    keys |= await write(world, (in_thread, "reply to b1", None), (channel("b"), "b2", None))

    assert await sender(world, platform, 8).drain() == SendReport(sent=6)

    assert platform.log.index(("start", "b1")) < platform.log.index(("end", "a1"))  # at once
    in_order = [("a1", "a2"), ("a2", "a1, edited"), ("b1", "reply to b1"), ("reply to b1", "b2")]
    for earlier, later in in_order:
        assert platform.ended_before_started(earlier, later)
    a1 = (await world.row(keys["a1"])).platform_message_id
    b1 = (await world.row(keys["b1"])).platform_message_id
    assert a1 is not None and b1 is not None
    edit = next(d for d in platform.sends if d.message.text == "a1, edited")
    assert edit.edit_message_id == a1
    assert platform.posted[a1].message.text == "a1, edited"
    reply = next(d for d in platform.sends if d.message.text == "reply to b1")
    assert reply.destination.thread == b1
    assert sorted(platform.texts()) == sorted(keys)  # each once


async def test_a_429_in_one_lane_holds_back_the_other_lanes_rows_for_that_bucket(
    world: World,
) -> None:
    platform = BucketedPlatform(
        refuse={"a1": RateLimited(30, bucket="post")},
        after={"b1": "a1"},  # b1 is on its way when the 429 comes back; b2 is not
    )
    keys = await write(
        world,
        (channel("a"), "a1", None),
        (channel("b"), "b1", None),
        (channel("b"), "b2", None),
        (channel("c"), "c1", None),
        (Destination(kind="dm", user="ann"), "to ann", None),
    )
    platform.users["ann"] = Actor(id="ann", name="Ann")
    outbox = sender(world, platform, 2)

    assert await outbox.drain() == SendReport(sent=2, retried=1)
    # b1 was already in flight; b2 and c1 were looked at after the 429 and wait, as does a1;
    # the DM uses another bucket and goes out.
    assert sorted(platform.tried()) == ["a1", "b1", "to ann"]
    assert sorted(platform.texts()) == ["b1", "to ann"]
    for text in ("a1", "b2", "c1"):
        row = await world.row(keys[text])
        assert (row.status, row.attempts) == ("pending", 0)
        assert row.next_attempt_at == START + timedelta(seconds=30)
    assert platform.peak == 2

    world.clock.advance(timedelta(seconds=30))
    assert await outbox.drain() == SendReport(sent=3)
    assert sorted(platform.texts()[2:]) == ["a1", "b2", "c1"]
    assert platform.ended_before_started("b1", "b2")
    assert {row.status for row in await world.rows()} == {"sent"}


async def test_concurrency_one_sends_one_message_at_a_time_in_batch_order(world: World) -> None:
    platform = NetworkPlatform(latency={"a1": 0.02})
    texts = ["a1", "b1", "c1", "a2", "b2", "c2"]
    await write(world, *((channel(text[0]), text, None) for text in texts))

    assert await sender(world, platform, 1).drain() == SendReport(sent=6)

    assert platform.peak == 1
    assert platform.texts() == texts
    assert platform.log == [(edge, text) for text in texts for edge in ("start", "end")]


async def test_sends_that_end_together_are_marked_sent_in_one_statement(world: World) -> None:
    platform = TogetherPlatform(latency={}, parties=8)
    texts = [f"hello #{n}" for n in range(16)]
    await write(world, *((channel(f"c{n}"), text, None) for n, text in enumerate(texts)))
    marks: list[int] = []

    def count_marks(conn, cursor, statement: str, parameters, context, many: bool) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("UPDATE outbox_message SET status") and "sent_at" in statement:
            marks.append(len(parameters) if many else 1)

    engine = world.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count_marks)
    try:
        assert await sender(world, platform, 8).drain() == SendReport(sent=16)
    finally:
        event.remove(engine, "before_cursor_execute", count_marks)

    # Two rounds of eight sends, each round's outcomes in one UPDATE.
    assert marks == [8, 8]
    rows = await world.rows()
    assert {row.status for row in rows} == {"sent"}
    assert len({row.platform_message_id for row in rows}) == 16
    assert {row.attempts for row in rows} == {1}


async def test_a_lane_that_dies_leaves_the_others_to_finish_and_record_their_sends(
    world: World,
) -> None:
    platform = NetworkPlatform(refuse={"a1": Crash()}, latency={"b1": 0.02})
    keys = await write(world, (channel("a"), "a1", None), (channel("b"), "b1", None))

    with pytest.raises(Crash):
        await sender(world, platform, 8).drain()

    # b1 was on its way when a1's lane died: it is recorded as sent, never to be sent again.
    assert (await world.row(keys["b1"])).status == "sent"
    assert (await world.row(keys["a1"])).status == "sending"  # sent again once its lease ends
    world.clock.advance(timedelta(seconds=121))
    assert await sender(world, platform, 8).drain() == SendReport(sent=1)
    assert platform.tried() == ["a1", "b1", "a1"]
    assert platform.texts() == ["b1", "a1"]


def test_lanes_follow_conversations_and_originals() -> None:
    def delivery(key: str, destination: Destination) -> Delivery:
        return Delivery(key=key, workspace="T1", destination=destination, message=text_message(key))

    dm = Destination(kind="dm", user="ann")
    batch = [
        (delivery("1", channel("a")), None),
        (delivery("2", Destination(kind="ephemeral", channel="a", user="bob")), None),
        (delivery("3", Destination(kind="group", users=["ann", "cy"])), None),
        (delivery("4", Destination(kind="home", user="ann")), None),
        (delivery("5", dm), None),
        (delivery("6", Destination(kind="thread", channel="z", thread_of="1")), "1"),
        (delivery("7", Destination(kind="dm", user="bob")), None),
        (delivery("8", Destination(kind="dm", user="cy")), None),
    ]

    def links(item: tuple[Delivery, str | None]) -> list[Hashable]:
        found, edits = item
        return [("row", edits or found.key), *outbox_lanes.places(found)]

    lanes = outbox_lanes.lanes(batch, links)
    assert [[found.key for found, _ in lane] for lane in lanes] == [
        ["1", "6"],  # a reply joins its original's lane, wherever it is written to
        ["2", "7"],  # an ephemeral message is ordered with the person's DMs
        ["3", "5", "8"],  # a group message with each member's DMs
        ["4"],  # the home page is a place of its own
    ]

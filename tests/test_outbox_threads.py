"""Replies in the thread of an earlier message of ours, named by its outbox key, and messages
to a group of people: the outbox resolves the original's platform id when it sends."""

from datetime import timedelta

from adapters.local.platform import LocalPlatform
from bot.contract.events import Actor
from bot.contract.ui import Destination
from tests.test_outbox import World, world

__all__ = ["world"]


def thread_of(key: str) -> Destination:
    return Destination(kind="thread", channel="ideas", thread_of=key)


async def test_a_reply_written_with_its_original_goes_under_it(world: World) -> None:
    [post] = await world.write("An idea", destination=Destination(kind="channel", channel="ideas"))
    [reply] = await world.write(
        "Discuss this idea here", destination=thread_of(post), prefix="reply"
    )

    await world.sender("a").drain()

    assert world.platform.lines == [
        "[#ideas] (m1) An idea",
        "[thread m1 in #ideas] (m2) Discuss this idea here",
    ]
    assert (await world.row(reply)).status == "sent"


async def test_a_reply_waits_for_an_original_that_failed_and_follows_it(world: World) -> None:
    [post] = await world.write("An idea", destination=Destination(kind="channel", channel="ideas"))
    [reply] = await world.write("Discuss", destination=thread_of(post), prefix="reply")
    world.platform.fail_next.append(ConnectionError("network down"))

    first = await world.sender("a").drain()
    assert (first.sent, first.retried) == (0, 1)
    assert world.platform.lines == []
    assert (await world.row(reply)).status == "pending"

    world.clock.advance(timedelta(seconds=5))
    await world.sender("a").drain()
    assert world.platform.lines == ["[#ideas] (m1) An idea", "[thread m1 in #ideas] (m2) Discuss"]


async def test_a_reply_to_a_message_that_never_went_out_is_given_up(world: World) -> None:
    [reply] = await world.write("Discuss", destination=thread_of("no-such-key"))

    await world.sender("a").drain()

    row = await world.row(reply)
    assert row.status == "dead"
    assert row.last_error is not None and "never sent" in row.last_error
    assert world.platform.lines == []


async def test_a_reply_to_a_message_sent_earlier_resolves_from_the_store(world: World) -> None:
    [post] = await world.write("An idea", destination=Destination(kind="channel", channel="ideas"))
    await world.sender("a").drain()
    [reply] = await world.write("First comment", destination=thread_of(post), prefix="later")

    await world.sender("b").drain()

    assert world.platform.sends[-1].destination.thread == "m1"
    assert world.platform.lines[-1] == "[thread m1 in #ideas] (m2) First comment"
    assert (await world.row(reply)).platform_message_id == "m2"


async def test_a_group_message_reaches_everyone_in_it_and_edits_in_place(world: World) -> None:
    platform: LocalPlatform = world.platform
    for handle in ("ann", "bob"):
        platform.users[handle] = Actor(id=handle, name=handle.capitalize())
    group = Destination(kind="group", users=["ann", "bob"])
    [intro] = await world.write("Meet each other", destination=group)
    await world.write("Ann accepted", destination=group, update_of=intro, prefix="answer")

    await world.sender("a").drain()

    assert platform.lines == [
        "[group dm @ann @bob] (m1) Meet each other",
        "[edit m1] Ann accepted",
    ]


async def test_a_group_with_someone_unknown_is_refused_for_good(world: World) -> None:
    [intro] = await world.write("Hello", destination=Destination(kind="group", users=["ghost"]))
    await world.sender("a").drain()
    assert (await world.row(intro)).status == "dead"

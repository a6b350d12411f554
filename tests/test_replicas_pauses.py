"""Rate-limit pauses are shared by every replica's sender through the database."""

from datetime import timedelta

from bot.contract.platform import RateLimited
from bot.delivery import rate_pauses
from bot.delivery.outbox import SendReport
from tests.test_outbox import START, World, world  # noqa: F401  (the outbox test world)


async def test_a_rate_limit_told_to_one_replica_holds_back_the_others(world: World) -> None:  # noqa: F811
    keys = await world.write("one", "two")
    world.platform.fail_next = [RateLimited(30)]
    first, second = world.sender("a"), world.sender("b")

    assert await first.drain() == SendReport(retried=1)
    [late] = await world.write("written during the pause", prefix="late")
    # The other replica was never told, yet it waits too.
    assert await second.drain() == SendReport()
    assert world.sent_keys() == [keys[0]]  # only the call that was refused

    world.clock.advance(timedelta(seconds=30))
    assert await second.drain() == SendReport(sent=3)
    assert world.sent_keys() == [keys[0], *keys, late]
    assert world.platform.send_times[1:] == [START + timedelta(seconds=30)] * 3


async def test_the_longest_pause_wins(world: World) -> None:  # noqa: F811
    async with world.db.session() as session:
        await rate_pauses.extend(session, "slack", "T1:chat.postMessage", START + timedelta(30))
        await rate_pauses.extend(session, "slack", "T1:chat.postMessage", START + timedelta(10))
        await rate_pauses.extend(session, "slack", "", START + timedelta(5))
    async with world.db.session() as session:
        assert await rate_pauses.active(session, START) == {
            ("slack", "T1:chat.postMessage"): START + timedelta(30),
            ("slack", ""): START + timedelta(5),
        }
        assert await rate_pauses.active(session, START + timedelta(5)) == {
            ("slack", "T1:chat.postMessage"): START + timedelta(30),
        }

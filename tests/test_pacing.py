"""Pacing (bot/delivery/pacing.py): sends keep to a platform's known limits, reserved in turn."""

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.contract.platform import Delivery, RateLimited
from bot.delivery.outbox import SendReport
from bot.delivery.pacing import Limits, Pacer, per_second
from tests.test_outbox import START, TimedPlatform, World, world  # noqa: F401 (the fixture)


class Ticks:
    """A clock that only moves when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


async def test_senders_at_the_same_time_get_moments_in_turn() -> None:
    ticks = Ticks()
    pacer = Pacer(ticks, ticks.sleep)
    await asyncio.gather(*(pacer.admit("tenant", per_second(50)) for _ in range(5)))
    # The first goes at once; each other waits its own hundredth of a second more, instead
    # of all waking together.
    assert ticks.slept == pytest.approx([0.01, 0.02, 0.03, 0.04])


async def test_at_most_a_seconds_worth_in_any_second() -> None:
    ticks = Ticks()
    pacer = Pacer(ticks, ticks.sleep)
    for _ in range(50):
        ticks.now += pacer.wait_needed("tenant", per_second(50))
        await pacer.admit("tenant", per_second(50))
    # Fifty went out in 0.49 s (twice the rate, catching up); the next waits for the first
    # to be a second old.
    assert ticks.now == pytest.approx(1000.49)
    assert pacer.wait_needed("tenant", per_second(50)) == pytest.approx(0.51)


async def test_a_moment_far_off_is_not_reserved() -> None:
    ticks = Ticks()
    pacer = Pacer(ticks, ticks.sleep)
    hourly: Limits = ((3600.0, 2),)
    await pacer.admit("a", hourly)
    await pacer.admit("a", hourly)
    with pytest.raises(RateLimited) as limited:
        await pacer.admit("a", hourly)
    assert limited.value.retry_after == pytest.approx(3600.0)
    assert pacer.wait_needed("a", hourly) == pytest.approx(3600.0)  # the refusal took no slot
    assert pacer.wait_needed("b", hourly) == 0.0


async def test_a_send_under_several_keys_waits_for_the_latest_and_counts_in_each() -> None:
    ticks = Ticks()
    pacer = Pacer(ticks, ticks.sleep)
    tenant: Limits = ((0.1, 1),)
    chat: Limits = ((1.0, 1),)
    await pacer.admit("tenant", tenant)
    await pacer.admit_all([("tenant", tenant), ("chat", chat)])
    assert ticks.slept == pytest.approx([0.1])
    assert pacer.wait_needed("chat", chat) == pytest.approx(1.1)


@dataclass
class PacedPlatform(TimedPlatform):
    """Two sends a minute, declared to the outbox."""

    def send_limits(self, delivery: Delivery) -> list[tuple[Hashable, Limits]]:
        return [("", ((60.0, 2),))]


async def test_the_outbox_hands_back_what_the_limits_hold_off(world: World) -> None:  # noqa: F811
    keys = await world.write("one", "two", "three", "four")
    paced = PacedPlatform(clock=world.clock)
    sender = world.sender("a", local=paced)

    assert await sender.drain() == SendReport(sent=2)
    assert [d.key for d in paced.sends] == keys[:2]
    for key in keys[2:]:
        row = await world.row(key)
        assert (row.status, row.attempts) == ("pending", 0)  # no attempt, no 429 asked for
        assert START + timedelta(seconds=59) < row.next_attempt_at <= START + timedelta(seconds=60)

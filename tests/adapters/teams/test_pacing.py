"""Per-conversation pacing: within Teams' limits before Teams has to say 429."""

import pytest

from adapters.teams.pacing import ConversationPacer
from bot.contract.platform import RateLimited


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_limits_are_per_conversation() -> None:
    ticks = Ticks()
    pacer = ConversationPacer(ticks)
    for _ in range(7):
        await pacer.admit("a:chat")
    # An eighth message this second must wait for the first to leave the one-second window.
    assert pacer.wait_needed("a:chat") == pytest.approx(1.0)
    assert pacer.wait_needed("19:other@thread.tacv2") == 0.0
    ticks.now += 1.0
    await pacer.admit("a:chat")
    # Eight in two seconds: the ninth waits until the oldest is two seconds old.
    assert pacer.wait_needed("a:chat") == pytest.approx(1.0)


async def test_a_long_wait_goes_back_to_the_outbox() -> None:
    ticks = Ticks()
    pacer = ConversationPacer(ticks)
    for _ in range(60):
        assert pacer.wait_needed("a:chat") == 0.0
        await pacer.admit("a:chat")
        ticks.now += 0.3
    ticks.now -= 0.3
    # Sixty in thirty seconds: the wait is too long to sleep through, so it becomes a rate
    # limit that the outbox waits out.
    with pytest.raises(RateLimited) as limited:
        await pacer.admit("a:chat")
    assert limited.value.retry_after == pytest.approx(30.0 - 59 * 0.3)
    ticks.now += 13.0
    assert pacer.wait_needed("a:chat") == 0.0


async def test_a_short_wait_is_slept_through() -> None:
    ticks = Ticks()
    pacer = ConversationPacer(ticks)
    for _ in range(7):
        await pacer.admit("a:chat")
    ticks.now += 0.98
    await pacer.admit("a:chat")  # sleeps about 20 ms, then goes
    # It counted: eight within two seconds, so a ninth would have to wait.
    assert pacer.wait_needed("a:chat") > 0

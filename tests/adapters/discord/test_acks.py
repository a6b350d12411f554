"""A follow-up waits until its interaction has been acknowledged (Discord rejects it before)."""

import asyncio

from adapters.discord.acks import Acks
from tests.waiting import SAFETY


async def test_a_follow_up_waits_for_the_acknowledgement() -> None:
    acks = Acks()
    acks.expect("tok")
    waiting = asyncio.create_task(acks.wait("tok"))
    await asyncio.sleep(0)
    assert not waiting.done()
    acks.done("tok")
    await asyncio.wait_for(waiting, SAFETY)


async def test_unknown_tokens_do_not_wait() -> None:
    """Another replica's interaction: nothing to wait for here."""
    await asyncio.wait_for(Acks().wait("elsewhere"), SAFETY)

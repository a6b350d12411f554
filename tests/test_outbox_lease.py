"""Claims stay valid while a slow platform works through a batch (bot/delivery/outbox_lease.py), on
real databases and a virtual clock, with two replicas' senders sharing the outbox.

The chat service here takes half a second a call on the virtual clock, and while a call is
under way the other replica has a look at the outbox, as a replica running alongside would.
"""

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select

from adapters.local.platform import LocalPlatform
from bot.contract.events import Actor
from bot.contract.platform import Delivery
from bot.contract.ui import Destination
from bot.delivery.outbox import SendReport
from bot.delivery.outbox_lease import Lease
from bot.models import OutboxMessage
from bot.time.clock import VirtualClock
from tests import waiting
from tests.test_outbox import World, world

__all__ = ["world"]

CALL = timedelta(seconds=0.5)


@dataclass
class SlowPlatform(LocalPlatform):
    """The local platform at `CALL` a send; `meanwhile` runs during each send (not during
    the sends it makes itself). `sends` has every call, `lines` what people saw."""

    clock: VirtualClock | None = None
    meanwhile: Callable[[Delivery], Awaitable[object]] | None = None
    busy: bool = False

    async def send(self, delivery: Delivery) -> str | None:
        assert self.clock is not None
        self.clock.advance(CALL)
        if self.meanwhile is not None and not self.busy:
            self.busy = True
            try:
                await self.meanwhile(delivery)
            finally:
                self.busy = False
        return await super().send(delivery)

    def calls(self) -> Counter[str]:
        return Counter(delivery.key for delivery in self.sends)


async def people(world: World, platform: LocalPlatform, count: int) -> list[str]:
    """A digest DM to each of `count` people, committed together as a handler would."""
    keys: list[str] = []
    for n in range(count):
        user = f"U{n}"
        platform.users[user] = Actor(id=user, name=f"Person {n}")
        keys += await world.write(
            f"Your digest, {user}", destination=Destination(kind="dm", user=user), prefix=user
        )
    return keys


async def claims(world: World) -> list[tuple[str | None, object]]:
    async with world.db.session() as session:
        rows = await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        return [(row.claimed_by, row.claimed_at) for row in rows]


async def test_two_replicas_send_a_slow_batch_exactly_once(world: World) -> None:
    world.configure(outbox_lease_seconds=2)
    platform = SlowPlatform(clock=world.clock)
    keys = await people(world, platform, 30)
    a, b = world.sender("a", local=platform), world.sender("b", local=platform)

    async def b_looks(delivery: Delivery) -> None:
        await b.drain()

    platform.meanwhile = b_looks
    # 15 s of sending on a 2 s lease: b looks 30 times while a's batch is under way.
    assert await a.drain() == SendReport(sent=30)
    assert await b.drain() == SendReport()

    assert platform.calls() == Counter({key: 1 for key in keys})
    rows = await world.rows()
    assert {(row.status, row.claimed_by) for row in rows} == {("sent", "a")}
    assert world.clock.now() - rows[0].created_at == 30 * CALL


async def test_the_heartbeat_renews_the_claim_of_a_send_longer_than_the_lease(
    world: World,
) -> None:
    world.configure(outbox_lease_seconds=1)
    platform = SlowPlatform(clock=world.clock)
    [key] = await people(world, platform, 1)
    a, b = world.sender("a", local=platform), world.sender("b", local=platform)
    taken_over: list[SendReport] = []

    async def hangs(delivery: Delivery) -> None:
        # The call takes three leases; the heartbeat (every third of a lease, in real time)
        # must renew the claim before anyone else may look.
        world.clock.advance(timedelta(seconds=3))
        now = world.clock.now()
        await waiting.until_async(
            lambda: renewed_at(world, now), "the heartbeat to renew the claim in flight"
        )
        taken_over.append(await b.drain())

    platform.meanwhile = hangs
    assert await a.drain() == SendReport(sent=1)
    assert taken_over == [SendReport()]
    assert platform.calls() == Counter({key: 1})


async def renewed_at(world: World, when: object) -> bool:
    return [("a", when)] == await claims(world)


async def test_a_renewal_leaves_a_row_another_replica_took_over_after_a_real_expiry(
    world: World,
) -> None:
    world.configure(outbox_lease_seconds=2)
    platform = SlowPlatform(clock=world.clock)
    await people(world, platform, 2)
    batch = await world.sender("a", local=platform).claim(10)
    lease = Lease(world.db, world.clock, "a", 2, [c.row_id for c in batch], batch[0].claimed_at)

    world.clock.advance(timedelta(seconds=2))  # a was stalled for a whole lease
    assert len(await world.sender("b", local=platform).claim(10)) == 2
    taken = await claims(world)
    assert taken == [("b", world.clock.now())] * 2

    assert [await lease.holds(c.row_id) for c in batch] == [False, False]
    assert await claims(world) == taken


async def test_a_stalled_sender_sends_none_of_the_rows_taken_from_it(world: World) -> None:
    """a's first call hangs past the lease and then fails: b takes the batch over and sends it.
    a neither sends the rest nor hands the failed row back to be sent a third time."""
    world.configure(outbox_lease_seconds=2)
    platform = SlowPlatform(clock=world.clock)
    first, *rest = await people(world, platform, 5)
    b = world.sender("b", local=platform)
    took_over: list[SendReport] = []

    async def stalls_then_fails(delivery: Delivery) -> None:
        platform.meanwhile = None  # only the first call
        world.clock.advance(timedelta(seconds=5))
        took_over.append(await b.drain())
        platform.fail_next = [ConnectionError("reset by peer")]

    platform.meanwhile = stalls_then_fails
    assert await world.sender("a", local=platform).drain() == SendReport(retried=1)
    assert took_over == [SendReport(sent=5)]
    assert [delivery.key for delivery in platform.sends] == [first, *rest, first]

    world.clock.advance(timedelta(minutes=5))
    assert await b.drain() == SendReport()
    rows = await world.rows()
    assert {(row.status, row.claimed_by, row.attempts) for row in rows} == {("sent", "b", 1)}
    assert len(platform.lines) == 5

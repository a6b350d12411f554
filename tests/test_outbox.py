"""The outbox sender (bot/delivery/outbox.py) on real databases, a virtual clock and the local
platform.

The platform object stands for the chat service: it outlives any sender, so "killing" a sender
means dropping the Sender object and starting another over the same database.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from adapters.local.platform import LocalPlatform
from bot.contract.app import Bot
from bot.contract.context import Context, WorkContext
from bot.contract.events import Actor, Command
from bot.contract.platform import Delivery, PermanentFailure, RateLimited
from bot.contract.router import Router
from bot.contract.ui import Destination, text_message
from bot.delivery.outbox import OutboxWriter, Sender, SendReport
from bot.kit.people import ensure_workspace
from bot.models import OutboxMessage, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.time.runtime import Runtime
from bot.time.scheduler import add_schedule
from bot.wiring.config import Settings

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
GENERAL = Destination(kind="channel", channel="general")


class Crash(BaseException):
    """Stands for the process dying (kill -9): no `except Exception` in the bot catches it."""


@dataclass
class TimedPlatform(LocalPlatform):
    """The local platform, noting when each send call came, and able to die right after one."""

    clock: VirtualClock | None = None
    send_times: list[datetime] = field(default_factory=list)
    crash_after_send: bool = False

    async def send(self, delivery: Delivery) -> str | None:
        assert self.clock is not None
        self.send_times.append(self.clock.now())
        message_id = await super().send(delivery)
        if self.crash_after_send:
            raise Crash
        return message_id


@dataclass
class World:
    db: Database
    clock: VirtualClock
    platform: TimedPlatform
    settings: Settings
    workspace_id: int

    def sender(self, replica: str, **platforms: Any) -> Sender:
        return Sender(
            self.db, {"local": self.platform, **platforms}, self.clock, self.settings, replica
        )

    def configure(self, **changes: Any) -> None:
        self.settings = self.settings.model_copy(update=changes)

    async def write(
        self,
        *texts: str,
        destination: Destination = GENERAL,
        update_of: str | None = None,
        prefix: str = "test",
        workspace_id: int | None = None,
    ) -> list[str]:
        """Commit messages to the outbox in one transaction, as a handler would."""
        async with self.db.session() as session:
            workspace = await session.get(Workspace, workspace_id or self.workspace_id)
            assert workspace is not None
            writer = OutboxWriter(session, workspace, prefix, self.clock.now())
            return [
                writer.add(destination, text_message(text), update_of=update_of) for text in texts
            ]

    async def rows(self) -> Sequence[OutboxMessage]:
        async with self.db.session() as session:
            found = await session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
            return found.all()

    async def row(self, key: str) -> OutboxMessage:
        return next(row for row in await self.rows() if row.key == key)

    def sent_keys(self) -> list[str]:
        return [delivery.key for delivery in self.platform.sends]


@pytest.fixture
async def world(db: Database) -> World:
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        outbox_max_attempts=8,
        outbox_backoff_seconds=2.0,
        outbox_lease_seconds=120,
    )
    clock = VirtualClock(START)
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "T1", "Acme", clock.now())
    assert workspace.id is not None
    return World(db, clock, TimedPlatform(clock=clock), settings, workspace.id)


def seconds_since(start: datetime, times: list[datetime]) -> list[float]:
    return [(t - start).total_seconds() for t in times]


async def test_messages_written_by_handlers_are_delivered_once(world: World) -> None:
    router = Router()

    @router.command("hello")
    async def hello(ctx: Context, event: Command) -> None:
        ctx.post("general", f"{event.actor.name} says hello")
        ctx.reply("Said it.")

    @router.schedule("weekly")
    async def weekly(ctx: WorkContext) -> None:
        ctx.post("general", "Weekly digest")

    bot = Bot(world.db, router, world.settings, world.clock, {"local": world.platform})
    runtime = Runtime(bot, "a")
    command = Command(
        event_id="Ev1",
        platform="local",
        workspace="T1",
        actor=Actor(id="ann", name="Ann"),
        channel="general",
        name="hello",
    )
    assert (await bot.dispatch(command)).status == "handled"
    assert (await bot.dispatch(command)).status == "duplicate"  # a platform retry
    async with world.db.session() as session:
        workspace = await session.get(Workspace, world.workspace_id)
        assert workspace is not None
        await add_schedule(session, workspace, "weekly", {"type": "cron", "hour": 10}, now=START)
    await runtime.advance(timedelta(hours=2))
    await runtime.advance(timedelta(days=1))  # and the next day: only the new digest goes out

    rows = await world.rows()
    assert [r.status for r in rows] == ["sent"] * 4  # hello, reply, digest 10:00, digest 2nd day
    assert sorted(world.sent_keys()) == sorted(r.key for r in rows)
    assert [r.attempts for r in rows] == [1] * 4
    assert all(r.platform_message_id and r.sent_at for r in rows)
    assert world.platform.lines == [
        "[#general] (m1) Ann says hello",
        "[only @ann sees, in #general] (m2) Said it.",
        "[#general] (m3) Weekly digest",
        "[#general] (m4) Weekly digest",
    ]
    assert seconds_since(START, world.platform.send_times) == [0, 0, 3600, 90000]


async def test_drain_sends_each_row_once_and_then_nothing(world: World) -> None:
    keys = await world.write("one", "two", "three")
    sender = world.sender("a")
    assert await sender.drain() == SendReport(sent=3)
    assert await sender.drain() == SendReport()
    assert await world.sender("b").drain() == SendReport()  # another replica finds nothing
    assert world.sent_keys() == keys
    rows = await world.rows()
    assert [r.platform_message_id for r in rows] == ["m1", "m2", "m3"]
    assert {r.claimed_by for r in rows} == {"a"}


async def test_sender_killed_between_claim_and_send(world: World) -> None:
    [already_sent] = await world.write("sent before the crash", prefix="early")
    assert await world.sender("a").drain() == SendReport(sent=1)
    keys = await world.write("one", "two", "three")

    doomed = world.sender("b")
    claimed = await doomed.claim(100)
    assert len(claimed) == 3
    assert {(r.status, r.claimed_by) for r in (await world.rows())[1:]} == {("sending", "b")}
    del doomed  # kill -9: the claims stay in the database, nothing was sent

    survivor = world.sender("c")
    # The claims are still leased to the dead sender: nobody may send them yet.
    world.clock.advance(timedelta(seconds=119))
    assert await survivor.drain() == SendReport()
    world.clock.advance(timedelta(seconds=2))
    assert await survivor.drain() == SendReport(sent=3)
    assert await survivor.drain() == SendReport()

    assert world.sent_keys() == [already_sent, *keys]  # each row's send call exactly once
    rows = await world.rows()
    assert {r.status for r in rows} == {"sent"}
    assert [r.claimed_by for r in rows] == ["a", "c", "c", "c"]
    assert len(world.platform.lines) == 4


async def test_sender_killed_after_send_before_marking_it_sent(world: World) -> None:
    [key] = await world.write("hello once")
    world.platform.crash_after_send = True
    with pytest.raises(Crash):
        await world.sender("a").drain()
    assert (await world.row(key)).status == "sending"
    world.platform.crash_after_send = False

    world.clock.advance(timedelta(seconds=121))
    assert await world.sender("b").drain() == SendReport(sent=1)
    # Sent again under the same key, which the platform deduplicates: users saw it once.
    assert world.sent_keys() == [key, key]
    assert world.platform.lines == ["[#general] (m1) hello once"]
    row = await world.row(key)
    assert (row.status, row.platform_message_id) == ("sent", "m1")


async def test_rate_limit_pauses_the_platform_without_counting_an_attempt(world: World) -> None:
    other = TimedPlatform(name="other", clock=world.clock)
    async with world.db.session() as session:
        workspace = await ensure_workspace(session, "other", "G1", "Guild", START)
    keys = await world.write("one", "two", "three")
    [other_key] = await world.write("elsewhere", workspace_id=workspace.id, prefix="other")
    world.platform.fail_next = [RateLimited(30)]
    sender = world.sender("a", other=other)

    assert await sender.drain() == SendReport(sent=1, retried=1)
    assert world.sent_keys() == [keys[0]]  # the rest of the batch was not even tried
    assert [d.key for d in other.sends] == [other_key]  # another platform is not held up
    for key in keys:
        row = await world.row(key)
        assert (row.status, row.attempts) == ("pending", 0)
        assert row.next_attempt_at == START + timedelta(seconds=30)

    world.clock.advance(timedelta(seconds=29))
    [late] = await world.write("written during the pause", prefix="late")
    assert await sender.drain() == SendReport()
    assert world.sent_keys() == [keys[0]]

    world.clock.advance(timedelta(seconds=1))
    assert await sender.drain() == SendReport(sent=4)
    assert world.sent_keys() == [keys[0], *keys, late]
    assert [r.attempts for r in await world.rows()] == [1, 1, 1, 1, 1]
    assert world.platform.send_times[1:] == [START + timedelta(seconds=30)] * 4


async def test_rate_limit_through_the_runtime_resends_exactly_after_retry_after(
    world: World,
) -> None:
    [key] = await world.write("patience")
    world.platform.fail_next = [RateLimited(7.5)]
    bot = Bot(world.db, Router(), world.settings, world.clock, {"local": world.platform})
    await Runtime(bot, "a").advance(timedelta(minutes=5))
    assert seconds_since(START, world.platform.send_times) == [0, 7.5]
    row = await world.row(key)
    assert (row.status, row.attempts) == ("sent", 1)


async def test_the_virtual_clock_stops_when_a_crashed_claim_can_be_sent_again(
    world: World,
) -> None:
    [key] = await world.write("claimed by a sender that died")
    assert len(await world.sender("doomed").claim(100)) == 1
    bot = Bot(world.db, Router(), world.settings, world.clock, {"local": world.platform})
    await Runtime(bot, "survivor").advance(timedelta(hours=1))
    # Sent the moment the 120 s lease ran out, not at the end of the hour.
    assert seconds_since(START, world.platform.send_times) == [120]
    assert (await world.row(key)).status == "sent"


async def test_transient_failures_back_off_exponentially_then_go_dead(world: World) -> None:
    world.configure(outbox_max_attempts=4, outbox_backoff_seconds=2.0)
    [key] = await world.write("flaky network")
    world.platform.fail_next = [ConnectionError("reset by peer") for _ in range(10)]
    bot = Bot(world.db, Router(), world.settings, world.clock, {"local": world.platform})
    await Runtime(bot, "a").advance(timedelta(hours=1))

    # Delays of 2, 4 and 8 seconds between the four attempts.
    assert seconds_since(START, world.platform.send_times) == [0, 2, 6, 14]
    row = await world.row(key)
    assert (row.status, row.attempts) == ("dead", 4)
    assert row.last_error is not None and "reset by peer" in row.last_error
    assert world.platform.lines == []


async def test_transient_failure_then_success_is_sent_once(world: World) -> None:
    [key] = await world.write("second time lucky")
    world.platform.fail_next = [TimeoutError(), OSError("503")]
    sender = world.sender("a")
    assert await sender.drain() == SendReport(retried=1)
    world.clock.advance(timedelta(seconds=2))
    assert await sender.drain() == SendReport(retried=1)
    world.clock.advance(timedelta(seconds=3))
    assert await sender.drain() == SendReport()  # the 4 s backoff is not over
    world.clock.advance(timedelta(seconds=1))
    assert await sender.drain() == SendReport(sent=1)
    row = await world.row(key)
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, None)
    assert world.platform.lines == ["[#general] (m1) second time lucky"]


async def test_permanent_failure_goes_dead_at_once(world: World) -> None:
    sender = world.sender("a")
    # LocalPlatform refuses a DM to a user it does not know.
    [to_nobody] = await world.write("hi", destination=Destination(kind="dm", user="ghost"))
    assert await sender.drain() == SendReport(dead=1)
    [archived] = await world.write("anyone?", prefix="archived")
    world.platform.fail_next = [PermanentFailure("channel archived")]
    assert await sender.drain() == SendReport(dead=1)
    world.clock.advance(timedelta(days=1))
    assert await sender.drain() == SendReport()

    assert world.sent_keys() == [to_nobody, archived]  # one call each, never retried
    ghost, channel = await world.row(to_nobody), await world.row(archived)
    assert (ghost.status, ghost.attempts) == ("dead", 1)
    assert ghost.last_error is not None and "ghost" in ghost.last_error
    assert (channel.status, channel.last_error) == ("dead", "channel archived")


async def test_edit_waits_for_the_original_then_edits_it_in_place(world: World) -> None:
    async with world.db.session() as session:
        workspace = await session.get(Workspace, world.workspace_id)
        assert workspace is not None
        writer = OutboxWriter(session, workspace, "vote", START)
        original = writer.add(GENERAL, text_message("Votes: 0"))
        edit = writer.add(GENERAL, text_message("Votes: 1"), update_of=original)
    world.platform.fail_next = [ConnectionError("flaky")]
    sender = world.sender("a")

    await sender.drain()
    assert world.sent_keys() == [original]  # failed; the edit was held back, not sent
    held = await world.row(edit)
    assert (held.status, held.attempts) == ("pending", 0)
    assert held.next_attempt_at > START

    world.clock.advance(timedelta(seconds=2))
    assert await sender.drain() == SendReport(sent=2)
    assert world.sent_keys() == [original, original, edit]
    edit_delivery = world.platform.sends[-1]
    assert edit_delivery.edit_message_id == "m1"
    assert world.platform.posted["m1"].message.text == "Votes: 1"
    assert world.platform.lines == ["[#general] (m1) Votes: 0", "[edit m1] Votes: 1"]
    assert (await world.row(edit)).platform_message_id == "m1"

    # A later edit of a message that is already out goes straight through.
    [again] = await world.write("Votes: 2", update_of=original, prefix="vote2")
    assert await sender.drain() == SendReport(sent=1)
    assert world.platform.sends[-1].key == again
    assert world.platform.sends[-1].edit_message_id == "m1"
    assert world.platform.lines[-1] == "[edit m1] Votes: 2"


async def test_edit_of_a_message_that_went_dead_is_given_up(world: World) -> None:
    [original] = await world.write("hi", destination=Destination(kind="dm", user="ghost"))
    [edit] = await world.write(
        "hi again", destination=Destination(kind="dm", user="ghost"), update_of=original, prefix="e"
    )
    [orphan] = await world.write("edit of nothing", update_of="no-such-key", prefix="orphan")
    bot = Bot(world.db, Router(), world.settings, world.clock, {"local": world.platform})
    runtime = Runtime(bot, "a")
    await runtime.advance(timedelta(days=1))

    assert world.sent_keys() == [original]  # neither edit reached the platform
    for key in (edit, orphan):
        row = await world.row(key)
        assert row.status == "dead"
        assert row.last_error is not None and "never sent" in row.last_error
    assert await runtime.next_due_at() is None  # nothing left polling every second

"""Group commit: events that queue up share a transaction, and one bad event spoils no other."""

import asyncio

import pytest
from sqlmodel import col, func, select

from bot.contract.app import Bot, delivery_digest
from bot.contract.events import Actor, Command
from bot.contract.group_commit import GroupCommit
from bot.models import ProcessedEvent, Workspace
from bot.wiring.assembly import Assembly
from handlers.kudos.tables import Kudos


class Recorder:
    """A batch runner that holds each batch until released, so a test decides what queues."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    async def run(self, items: list[int]) -> list[int | BaseException]:
        self.batches.append(items)
        self.started.set()
        await self.release.wait()
        if 13 in items and len(items) > 1:
            raise RuntimeError("the shared commit failed")
        return [ValueError(item) if item == 13 else item * 10 for item in items]


async def test_items_waiting_behind_a_batch_share_the_next_one() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.run, limit=10, lanes=1)
    first = asyncio.create_task(group.submit(1))
    await recorder.started.wait()
    rest = [asyncio.create_task(group.submit(n)) for n in (2, 3, 4)]
    await asyncio.sleep(0)
    recorder.release.set()
    assert await asyncio.gather(first, *rest) == [10, 20, 30, 40]
    assert recorder.batches == [[1], [2, 3, 4]]


async def test_a_batch_is_at_most_the_limit() -> None:
    recorder = Recorder()
    recorder.release.set()
    group = GroupCommit(recorder.run, limit=2, lanes=1)
    results = await asyncio.gather(*(group.submit(n) for n in range(5)))
    assert results == [0, 10, 20, 30, 40]
    assert [len(batch) for batch in recorder.batches] == [2, 2, 1]


async def test_a_failed_batch_is_run_again_item_by_item() -> None:
    recorder = Recorder()
    recorder.release.set()
    group = GroupCommit(recorder.run, limit=10, lanes=1)
    results = await asyncio.gather(*(group.submit(n) for n in (12, 13, 14)), return_exceptions=True)
    assert results[0] == 120 and results[2] == 140
    assert isinstance(results[1], ValueError)
    assert recorder.batches == [[12, 13, 14], [12], [13], [14]]


async def test_callers_are_not_left_waiting_when_the_batch_is_cancelled() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.run, limit=10, lanes=1)
    waiting = asyncio.create_task(group.submit(1))
    await recorder.started.wait()
    for drainer in list(group._drainers):
        drainer.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting


async def test_a_caller_that_gives_up_still_has_its_item_handled() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.run, limit=10, lanes=1)
    first = asyncio.create_task(group.submit(1))
    await recorder.started.wait()
    given_up = asyncio.create_task(group.submit(2))
    kept = asyncio.create_task(group.submit(3))
    await asyncio.sleep(0)
    given_up.cancel()
    recorder.release.set()
    assert await asyncio.gather(first, kept) == [10, 30]
    assert given_up.cancelled()
    assert recorder.batches == [[1], [2, 3]]


def kudos(n: int) -> Command:
    return Command(
        event_id=f"burst-{n % 20}",  # every event twice: the second is a platform retry
        platform="local",
        workspace="T-BURST",
        actor=Actor(id=f"giver{n % 20}", name=f"giver{n % 20}"),
        channel="general",
        name="kudos",
        text=f"<@receiver{n % 20}> thanks for the careful review of the release",
    )


async def test_a_burst_is_handled_once_each_in_shared_transactions(rapport: Assembly) -> None:
    bot: Bot = rapport.bot
    rapport.shell.platform.users.update(
        {f"receiver{n}": Actor(id=f"receiver{n}", name=f"receiver{n}") for n in range(20)}
    )
    outcomes = await asyncio.gather(*(bot.dispatch(kudos(n)) for n in range(40)))
    statuses = sorted(outcome.status for outcome in outcomes)
    assert statuses == ["duplicate"] * 20 + ["handled"] * 20
    async with rapport.db.session() as session:
        given = await session.exec(
            select(func.count())
            .select_from(Kudos)
            .join(Workspace)
            .where(Workspace.external_id == "T-BURST")
        )
        seen = await session.exec(
            select(func.count()).where(
                col(ProcessedEvent.event_id).in_([delivery_digest(f"burst-{n}") for n in range(20)])
            )
        )
        assert (given.one(), seen.one()) == (20, 20)


async def test_a_value_added_in_a_batch_is_known_to_the_kudos_after_it(
    rapport: Assembly,
) -> None:
    bot: Bot = rapport.bot
    if rapport.db.is_postgres:
        pytest.skip("on PostgreSQL each event has a transaction of its own")

    def typed(n: int, who: str, text: str) -> Command:
        actor = Actor(id=who, name=who)
        return Command(
            event_id=f"values-{n}",
            platform="local",
            workspace="T-VALUES",
            actor=actor,
            channel="general",
            name="kudos",
            text=text,
        )

    # The first person seen is the workspace's first admin; all three share one transaction.
    outcomes = await asyncio.gather(
        bot.dispatch(typed(0, "ann", "values")),
        bot.dispatch(typed(1, "ann", "values add kindness Be kind")),
        bot.dispatch(typed(2, "bob", "<@ann> thanks for the patient review #kindness")),
    )
    assert [outcome.status for outcome in outcomes] == ["handled"] * 3
    async with rapport.db.session() as session:
        given = await session.exec(
            select(Kudos.value).join(Workspace).where(Workspace.external_id == "T-VALUES")
        )
        assert given.all() == ["kindness"]

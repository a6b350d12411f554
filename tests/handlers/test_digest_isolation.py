"""A feature whose part of the digest fails: the digest goes out without that part, once."""

import logging

import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Week
from bot.contract.feature import Feature, router_of
from bot.kit.audit import record
from bot.models import AuditEntry, DueWork, OutboxMessage, Schedule, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly, assemble
from bot.wiring.config import Settings
from bot.wiring.features import every_feature
from tests.conftest import START
from tests.handlers.conftest import Talk

# What a failing part might carry in its error: a person's name, which no log line may show.
SECRET = "Ann Lee wrote something private"


async def _broken_part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart | None:
    """Writes a row, then fails: the row must not outlive the failure."""
    await record(session, workspace.id or 0, None, "broken.digest", week.end)
    await session.flush()
    raise RuntimeError(SECRET)


@pytest.fixture
async def rapport(db: Database, settings: Settings, clock: VirtualClock) -> Assembly:
    broken = Feature("broken", digest=_broken_part)
    return await assemble(settings, router_of((*every_feature(), broken)), clock, None, db=db)


async def _posted(rapport: Assembly) -> list[str]:
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    return [
        str(row.message)
        for row in rows
        if row.destination.get("kind") == "channel" and "Weekly digest" in str(row.message)
    ]


async def _replay(rapport: Assembly) -> None:
    """The same week fired and run again, as after a restart that lost the schedule's
    progress, by a second replica."""
    async with rapport.db.session() as session:
        schedule = (
            await session.exec(select(Schedule).where(Schedule.kind == "digest.weekly"))
        ).one()
        assert schedule.last_period is not None
        schedule.next_fire_at = START.replace(day=11)
        session.add(schedule)
        await session.commit()
    second = rapport.runtime.__class__(rapport.bot, "replica-two")
    assert await second.scheduler.fire_due() == 0  # the period's work exists already
    await second.scheduler.run_due()
    await second.settle()


async def test_a_failing_part_is_left_out_and_the_digest_posts_once(
    talk: Talk, rapport: Assembly, caplog: pytest.LogCaptureFixture
) -> None:
    await talk(
        "advance 1m\n"
        "dan in #general: /rapport digest channels #community\n"
        "ann in #general: /kudos @bob thanks for the release demo #customer\n"
    )
    with caplog.at_level(logging.ERROR, logger="handlers.digest.compose"):
        out = await talk("advance 6d 23h 59m")  # Monday 09:00: the digest is due
    assert "[#community]" in out
    assert "This week: 1 kudos, 0 new ideas, 0 questions asked" in out  # every other part
    assert "*Kudos*: 1 from 1 person to 1 person." in out
    assert "For community managers only" in out
    [failure] = [r for r in caplog.records if r.name == "handlers.digest.compose"]
    assert "the broken part failed" in failure.getMessage()
    assert "RuntimeError" in failure.getMessage()
    assert failure.exc_info is None
    assert SECRET not in caplog.text
    async with rapport.db.session() as session:
        written = await session.exec(select(AuditEntry).where(AuditEntry.action == "broken.digest"))
        assert written.all() == []  # the failed part's writes went with it
        due = (await session.exec(select(DueWork).where(DueWork.kind == "digest.weekly"))).one()
    assert (due.status, due.attempts) == ("done", 0)  # no retry that would fail again

    await _replay(rapport)
    await rapport.runtime.settle()
    assert len(await _posted(rapport)) == 1
    async with rapport.db.session() as session:
        runs = await session.exec(select(DueWork).where(col(DueWork.kind) == "digest.weekly"))
        assert len(runs.all()) == 1
    out = await talk("advance 1d")
    assert "[#community]" not in out

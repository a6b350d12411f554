"""What Prometheus reads from the database when it scrapes: queues and lags, not counted per
event but asked for, with a few cheap grouped queries on indexed columns, once a scrape.

The figures are the database's, so every replica reports the same queue: dashboards and
alerts take `max` over replicas, not `sum`.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery.intake import Intake
from bot.delivery.outbox import FORGET_WHEN_SENT
from bot.models import DueWork, OutboxMessage, Schedule
from bot.store.db import Database

QUEUED = ("pending", "sending", "dead")


@dataclass
class Snapshot:
    """The queues at one moment, read by `read`; rendered by `Snapshot.collect`."""

    outbox: dict[tuple[str, str], int] = field(default_factory=dict)
    outbox_oldest_due: dict[str, float] = field(default_factory=dict)
    due_work_waiting: int = 0
    due_work_lag: float = 0.0
    schedule_lag: float = 0.0
    intake_waiting: int | None = None
    intake_dead: int | None = None
    pool: dict[str, int] = field(default_factory=dict)

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "rapport_outbox_messages",
            "Messages in the outbox by platform and status (pending, sending, dead).",
            labels=["platform", "status"],
        )
        for (platform, status), count in sorted(self.outbox.items()):
            depth.add_metric([platform, status], count)
        yield depth
        oldest = GaugeMetricFamily(
            "rapport_outbox_oldest_due_seconds",
            "How long the oldest message that is due and unsent has been waiting, by platform.",
            labels=["platform"],
        )
        for platform, age in sorted(self.outbox_oldest_due.items()):
            oldest.add_metric([platform], age)
        yield oldest
        yield _gauge(
            "rapport_due_work_waiting",
            "Units of scheduled work due now and not done.",
            self.due_work_waiting,
        )
        yield _gauge(
            "rapport_due_work_lag_seconds",
            "How long the oldest unit of due work has been due (0 when none waits).",
            self.due_work_lag,
        )
        yield _gauge(
            "rapport_schedule_lag_seconds",
            "How long the most overdue enabled schedule has waited to fire (0 when none).",
            self.schedule_lag,
        )
        if self.intake_waiting is not None and self.intake_dead is not None:
            yield _gauge(
                "rapport_intake_waiting",
                "Stored inbound events not handled yet (the intake backlog).",
                self.intake_waiting,
            )
            yield _gauge(
                "rapport_intake_dead",
                "Stored inbound events given up on after their last attempt.",
                self.intake_dead,
            )
        for name, value in sorted(self.pool.items()):
            yield _gauge(f"rapport_db_pool_{name}", _POOL_HELP[name], value)


_POOL_HELP = {
    "size": "Connections this replica's pool keeps to the database.",
    "checked_out": "Pooled connections in use right now.",
    "overflow": "Connections open beyond the pool's size right now (negative: not yet opened).",
}


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


class SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        return self.snapshot.collect()


async def read(db: Database, intake: Intake | None, now: datetime) -> Snapshot:
    snapshot = Snapshot(pool=_pool(db))
    async with db.session() as session:
        await _outbox(session, now, snapshot)
        await _due_work(session, now, snapshot)
    if intake is not None:
        snapshot.intake_waiting, snapshot.intake_dead = await intake.backlog()
    return snapshot


async def _outbox(session: AsyncSession, now: datetime, snapshot: Snapshot) -> None:
    status = col(OutboxMessage.status)
    counts = await session.exec(
        select(OutboxMessage.platform, OutboxMessage.status, func.count())
        .where(status.in_(QUEUED))
        .group_by(col(OutboxMessage.platform), status)
    )
    snapshot.outbox = {(platform, state): int(n) for platform, state, n in counts.all()}
    # A forget-when-sent row is dated to its day (bot/delivery/outbox.py): it would look
    # hours old the moment it is written.
    oldest = await session.exec(
        select(OutboxMessage.platform, func.min(OutboxMessage.next_attempt_at))
        .where(
            status == "pending",
            col(OutboxMessage.next_attempt_at) <= now,
            col(OutboxMessage.key).not_like(f"{FORGET_WHEN_SENT}%"),
        )
        .group_by(col(OutboxMessage.platform))
    )
    snapshot.outbox_oldest_due = {
        platform: _age(now, due) for platform, due in oldest.all() if due is not None
    }


async def _due_work(session: AsyncSession, now: datetime, snapshot: Snapshot) -> None:
    waiting, oldest = (
        await session.exec(
            select(func.count(), func.min(DueWork.run_at)).where(
                col(DueWork.status) == "pending", col(DueWork.run_at) <= now
            )
        )
    ).one()
    snapshot.due_work_waiting = int(waiting)
    snapshot.due_work_lag = _age(now, oldest)
    overdue = (
        await session.exec(
            select(func.min(Schedule.next_fire_at)).where(
                col(Schedule.enabled), col(Schedule.next_fire_at) <= now
            )
        )
    ).one()
    snapshot.schedule_lag = _age(now, overdue)


def _age(now: datetime, since: datetime | str | None) -> float:
    if since is None:
        return 0.0
    if isinstance(since, str):  # SQLite may hand an aggregate back as stored, as text
        since = datetime.fromisoformat(since)
    if since.tzinfo is None:
        since = since.replace(tzinfo=now.tzinfo)
    return max((now - since).total_seconds(), 0.0)


def _pool(db: Database) -> dict[str, int]:
    """The pool's figures where it keeps any (a queue pool, on PostgreSQL)."""
    pool = db.engine.pool
    figures = {}
    for name, method in (("size", "size"), ("checked_out", "checkedout"), ("overflow", "overflow")):
        reading = getattr(pool, method, None)
        if callable(reading):
            figures[name] = int(reading())
    return figures

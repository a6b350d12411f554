"""Retention removes expired rows of each kind, in batches, and nothing else."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import SQLModel, select

from adapters.teams.tables import TeamsMessage
from bot.contract.ui import Attachment, Message
from bot.delivery.intake import create_table, intake_database
from bot.models import (
    AuditEntry,
    DueWork,
    InboundEvent,
    Interaction,
    OutboxMessage,
    Person,
    ProcessedEvent,
    Schedule,
    Workspace,
)
from bot.store.db import Database
from bot.store.retention import RetentionJob, enforce
from bot.time.clock import VirtualClock
from bot.wiring.assembly import Assembly
from bot.wiring.config import Settings
from bot.wiring.features import build_router, every_feature
from bot.wiring.settings_check import configured
from handlers.dashboard.tables import DashboardLink
from handlers.digest.tables import DigestFeatured
from handlers.pulse.tables import PulseAnswer, PulseRun, PulseSurvey

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def outbox(
    key: str, kind: str, status: str, days: float, update_of: str | None = None, file: bool = False
) -> OutboxMessage:
    attachments = [Attachment(name=f"{key}.json", media_type="application/json", data=b"{}")]
    message = Message(text=key, attachments=attachments if file else [])
    return OutboxMessage(
        key=key,
        workspace_id=1,
        platform="local",
        destination={"kind": kind, "user": "ann", "channel": "general"},
        message=message.model_dump(mode="json"),
        update_of=update_of,
        status=status,
        next_attempt_at=ago(days),
        sent_at=ago(days) if status != "pending" else None,
        created_at=ago(days),
    )


def answer(key: str, days: int, *, score: int | None, comment: str | None) -> PulseAnswer:
    return PulseAnswer(
        id=key, run_id=1, question=0, score=score, comment=comment, day=ago(days).date()
    )


async def seed(db: Database) -> None:
    async with db.session() as session:
        session.add(
            Workspace(
                id=1, platform="local", external_id="w", name="W", settings={}, created_at=NOW
            )
        )
        await session.flush()
        for person_id in (1, 2):
            session.add(
                Person(
                    id=person_id, workspace_id=1, platform_user_id=f"p{person_id}", created_at=NOW
                )
            )
        session.add(PulseSurvey(id=1, workspace_id=1, title="Pulse", spec={}, created_at=NOW))
        session.add(
            Schedule(id=1, workspace_id=1, kind="k", trigger={}, payload={}, created_at=NOW)
        )
        await session.flush()
        session.add(
            PulseRun(id=1, workspace_id=1, survey_id=1, period="p", opened_at=NOW, closes_at=NOW)
        )
        await session.flush()
        for ref, days in (("old-1", 400), ("old-2", 396), ("kept", 394)):
            session.add(
                Interaction(
                    workspace_id=1,
                    source_id=1,
                    target_id=2,
                    kind="kudos",
                    ref=ref,
                    occurred_at=ago(days),
                )
            )
        session.add_all(
            [
                answer("old-words", 800, score=None, comment="too much noise"),
                answer("old-scored", 800, score=4, comment="fine overall"),
                answer("old-score-only", 800, score=3, comment=None),
                answer("recent-words", 700, score=None, comment="still recent"),
            ]
        )
        session.add_all(
            [
                outbox("old-dm", "dm", "sent", 91),
                outbox("old-ephemeral", "ephemeral", "dead", 200),
                outbox("old-post", "channel", "sent", 400),
                outbox("old-edit", "channel", "sent", 300, update_of="old-post"),
                outbox("old-thread", "thread", "sent", 396),
                outbox("recent-post", "channel", "sent", 394),
                outbox("pending-dm", "dm", "pending", 120),
                outbox("recent-dm", "dm", "sent", 89),
                outbox("old-export", "dm", "sent", 8, file=True),
                outbox("old-chart", "channel", "sent", 30, file=True),
                outbox("dead-export", "dm", "dead", 10, file=True),
                outbox("recent-export", "dm", "sent", 6, file=True),
                outbox("pending-export", "dm", "pending", 10, file=True),
            ]
        )
        session.add_all(
            ProcessedEvent(platform="local", event_id=f"e{days}", received_at=ago(days))
            for days in (31, 45, 29)
        )
        session.add_all(
            DueWork(schedule_id=1, period=p, kind="k", payload={}, status=status, run_at=ago(days))
            for p, status, days in (
                ("done-old", "done", 91),
                ("failed-old", "failed", 200),
                ("pending-old", "pending", 200),
                ("done-recent", "done", 89),
            )
        )
        session.add_all(
            AuditEntry(
                workspace_id=1, actor_id=1, action=f"a{days}", detail={}, created_at=ago(days)
            )
            for days in (731, 729)
        )
        session.add_all(
            TeamsMessage(tenant_id="t", message_id=f"m{days}", author="a", seen_at=ago(days))
            for days in (31, 2)
        )
        session.add_all(
            [
                DashboardLink(workspace_id=1, person_id=1, token_hash="a" * 64, expires_at=ago(8)),
                DashboardLink(
                    workspace_id=1,
                    person_id=1,
                    token_hash="b" * 64,
                    expires_at=ago(-1),
                    used_at=ago(9),
                ),
                DashboardLink(workspace_id=1, person_id=1, token_hash="c" * 64, expires_at=ago(6)),
                DashboardLink(workspace_id=1, person_id=1, token_hash="d" * 64, expires_at=ago(-1)),
            ]
        )
        session.add_all(
            DigestFeatured(workspace_id=1, person_id=1, week_end=ago(days)) for days in (29, 27)
        )


async def dead_inbound_events(db: Database) -> None:
    """Inbound events left dead, where the intake keeps them (on SQLite a file of its own)."""
    store = intake_database(db)
    await create_table(store)
    async with store.session() as session:
        session.add_all(
            InboundEvent(
                platform="slack",
                event_id=f"dead{days}",
                kind="slack",
                payload={"text": "words of someone"},
                received_on=ago(days).date(),
                attempts=5,
            )
            for days in (8, 6)
        )
    if store is not db:
        await store.dispose()


async def inbound_events(db: Database) -> list[str]:
    store = intake_database(db)
    async with store.session() as session:
        found = [e.event_id for e in (await session.exec(select(InboundEvent))).all()]
    if store is not db:
        await store.dispose()
    return found


async def counts(db: Database) -> dict[str, int]:
    async with db.session() as session:
        return {
            table.name: (await session.exec(select(func.count()).select_from(table))).one()
            for table in SQLModel.metadata.sorted_tables
        }


def settings(db: Database, **windows: int) -> Settings:
    base = Settings(_env_file=None, database_url=db.url, retention_batch_size=2)
    return base.model_copy(update=windows)


async def test_retention_removes_expired_rows_and_nothing_else(db: Database) -> None:
    await seed(db)
    await dead_inbound_events(db)
    before = await counts(db)
    removed = await enforce(db, settings(db), NOW, every_feature())
    assert removed == {
        "interactions": 2,
        "survey_comments": 2,
        "sent_outbox": 3,
        "channel_posts": 2,
        "sent_files": 3,
        "processed_events": 2,
        "inbound_events": 1,
        "audit": 1,
        "teams_messages": 1,
        "dashboard_links": 2,
        "digest_featured": 1,
        "done_work": 2,
        "departed_people": 0,
    }
    async with db.session() as session:
        assert [i.ref for i in (await session.exec(select(Interaction))).all()] == ["kept"]
        answers = {
            a.id: (a.score, a.comment) for a in (await session.exec(select(PulseAnswer))).all()
        }
        messages = (await session.exec(select(OutboxMessage))).all()
        keys = sorted(m.key for m in messages)
        files = sorted(m.key for m in messages if Message.model_validate(m.message).attachments)
        events = sorted(e.event_id for e in (await session.exec(select(ProcessedEvent))).all())
        audit = [a.action for a in (await session.exec(select(AuditEntry))).all()]
        teams = [m.message_id for m in (await session.exec(select(TeamsMessage))).all()]
        work = sorted(w.period for w in (await session.exec(select(DueWork))).all())
        links = sorted(
            link.token_hash[0] for link in (await session.exec(select(DashboardLink))).all()
        )
        featured = [f.week_end for f in (await session.exec(select(DigestFeatured))).all()]
    assert featured == [ago(27)]
    assert answers == {
        "old-scored": (4, None),
        "old-score-only": (3, None),
        "recent-words": (None, "still recent"),
    }
    exports = ["dead-export", "old-chart", "old-export", "pending-export", "recent-export"]
    assert keys == sorted(["pending-dm", "recent-dm", "recent-post", *exports])
    assert files == ["pending-export", "recent-export"]
    assert events == ["e29"]
    assert await inbound_events(db) == ["dead6"]
    assert audit == ["a729"]
    assert teams == ["m2"]
    assert links == ["c", "d"]
    assert work == ["done-recent", "pending-old"]
    after = await counts(db)
    # Inbound events are checked above, where the intake keeps them (on SQLite, another file).
    changed = {name for name in before if before[name] != after[name]} - {"inbound_event"}
    assert changed == {
        "interaction",
        "pulse_answer",
        "outbox_message",
        "processed_event",
        "audit_entry",
        "teams_message",
        "dashboard_link",
        "digest_featured",
        "due_work",
    }
    assert await enforce(db, settings(db), NOW, every_feature()) == dict.fromkeys(removed, 0)


async def test_a_window_of_zero_keeps_that_kind_for_ever(db: Database) -> None:
    await seed(db)
    removed = await enforce(db, settings(db, retention_interactions_days=0), NOW, every_feature())
    assert "interactions" not in removed
    async with db.session() as session:
        assert len((await session.exec(select(Interaction))).all()) == 3


async def test_a_features_window_is_its_own_setting(db: Database, tmp_path: Path) -> None:
    """Pulse's and the Teams adapter's windows are fields of their settings models, read under
    the names every window has; the job reads them there, so 0 keeps their rows for ever."""
    await seed(db)
    env_file = tmp_path / ".env"
    env_file.write_text("RETENTION_SURVEY_COMMENTS_DAYS=0\nRETENTION_TEAMS_MESSAGES_DAYS=0\n")
    read = configured(build_router().sections.values(), str(env_file))
    removed = await enforce(db, settings(db).with_features(read.features), NOW, every_feature())
    assert "survey_comments" not in removed and "teams_messages" not in removed
    assert removed["interactions"] == 2
    async with db.session() as session:
        comments = [a.comment for a in (await session.exec(select(PulseAnswer))).all()]
        teams = (await session.exec(select(TeamsMessage))).all()
    assert sorted(filter(None, comments)) == ["fine overall", "still recent", "too much noise"]
    assert len(teams) == 2


async def test_the_job_runs_once_a_day(db: Database) -> None:
    await seed(db)
    clock = VirtualClock(NOW)
    job = RetentionJob(db, settings(db), clock, every_feature())
    first = await job.run_if_due()
    assert first is not None and first["interactions"] == 2
    clock.set(NOW + timedelta(hours=23))
    assert await job.run_if_due() is None
    async with db.session() as session:
        session.add(
            Interaction(
                workspace_id=1,
                source_id=1,
                target_id=2,
                kind="kudos",
                ref="new",
                occurred_at=ago(394),
            )
        )
    clock.set(NOW + timedelta(days=1, hours=1))
    again = await job.run_if_due()
    assert again is not None and again["interactions"] == 2  # "kept" and "new" have aged out


async def test_the_shell_clock_runs_the_daily_pass(rapport: Assembly) -> None:
    """`advance` in `rapport shell` stops at the retention pass like at any schedule: a
    kudos's interaction edge (395 days) and its sent DM (90 days) age out on the way."""
    await rapport.shell.run_script("ann in #general: /kudos @bob thanks for the great demo")
    before = await counts(rapport.db)
    assert before["interaction"] == 1
    assert before["outbox_message"] > 0
    await rapport.shell.run_script("advance 100d")
    after = await counts(rapport.db)
    assert after["interaction"] == 1
    async with rapport.db.session() as session:
        kinds = [m.destination["kind"] for m in (await session.exec(select(OutboxMessage))).all()]
    assert "dm" not in kinds
    await rapport.shell.run_script("advance 300d")
    assert (await counts(rapport.db))["interaction"] == 0

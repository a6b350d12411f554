"""`rapport backup` while the bot works: a restored copy loses nothing and sends nothing twice.

One platform object stands for the chat service across the backup and the restore (as in
tests/test_outbox.py). While commands are handled and their messages sent, a backup is taken
in another thread (as `rapport backup` runs beside a live `rapport run`); the bot goes on
afterwards. The copy is then restored as a new database and a new bot started on it: it must
hold every command it had recorded with its message, send exactly the messages that were
unsent in the copy, once, none it had recorded as sent, and handle the inbound events that
were acknowledged but still waiting in the copy's intake file, once.
"""

import asyncio
import secrets
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from adapters.local.platform import LocalPlatform
from bot.contract.app import Bot
from bot.contract.context import Context
from bot.contract.events import Actor, Command
from bot.contract.platform import RateLimited
from bot.contract.router import Router
from bot.delivery.intake import event_arrival
from bot.store import migrate
from bot.store.backup import backup
from bot.store.db import Database, make_engine
from bot.time.clock import VirtualClock
from bot.time.runtime import Runtime
from bot.wiring.config import Settings
from tests.conftest import PG_DSN, _require_postgres
from tests.test_cli import run_rapport

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
COMMANDS = 60
BACKUP_AFTER = 20
SENT_FIRST = 10
WAITING = 3  # acknowledged, stored in the intake, not handled before the backup


def noting_router() -> Router:
    router = Router()

    @router.command("note")
    async def note(ctx: Context, event: Command) -> None:
        ctx.post("general", f"note {event.text}")

    return router


def command(number: int) -> Command:
    return Command(
        event_id=f"Ev{number}",
        platform="local",
        workspace="T1",
        actor=Actor(id="ann", name="Ann"),
        channel="general",
        name="note",
        text=str(number),
    )


async def start(url: str, platform: LocalPlatform, clock: VirtualClock) -> Runtime:
    settings = Settings(_env_file=None, database_url=url, outbox_concurrency=1)
    bot = Bot(Database(make_engine(url)), noting_router(), settings, clock, {"local": platform})
    return Runtime(bot, "replica")


async def stop(runtime: Runtime) -> None:
    await runtime.intake.close()
    await runtime.bot.db.dispose()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return list(connection.execute(sql))


async def test_a_backup_taken_while_working_restores_without_loss_or_double_sends(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/rapport.db"
    await migrate.upgrade(url)
    chat, clock = LocalPlatform(), VirtualClock(START)
    runtime = await start(url, chat, clock)
    for number in range(WAITING):  # acked, then the process is busy elsewhere
        assert await runtime.intake.store(event_arrival(command(1000 + number))) is not None

    handled = asyncio.Event()

    async def work() -> None:
        for number in range(COMMANDS):
            if number == SENT_FIRST:  # the platform says wait: the rest stays in the outbox
                chat.fail_next = [RateLimited(600)]
            await runtime.bot.dispatch(command(number))
            await runtime.sender.drain()
            if number == BACKUP_AFTER:
                handled.set()
            await asyncio.sleep(0)  # let the backup's thread and the loop interleave

    working = asyncio.create_task(work())
    await handled.wait()
    copy = tmp_path / "backup" / "copy.db"
    copy.parent.mkdir()
    written = await asyncio.to_thread(backup, url, copy)
    await working
    await stop(runtime)
    assert written == [copy, copy.with_name("copy.intake.db")]

    notes = rows(copy, "SELECT key, status FROM outbox_message ORDER BY id")
    [(recorded,)] = rows(copy, "SELECT count(*) FROM processed_event")
    assert BACKUP_AFTER < int(str(recorded)) < COMMANDS  # taken during the work, not before/after
    # As of one commit: each command recorded (by digest) has its message, and only those.
    assert len(notes) == recorded
    assert {str(key).split(":")[1] for key, _ in notes} == {f"Ev{n}" for n in range(len(notes))}
    sent_in_copy = {str(key) for key, status in notes if status == "sent"}
    unsent_in_copy = {str(key) for key, status in notes if status != "sent"}
    assert len(sent_in_copy) == SENT_FIRST
    assert len(unsent_in_copy) > BACKUP_AFTER - SENT_FIRST
    assert len(rows(copy.with_name("copy.intake.db"), "SELECT id FROM inbound_event")) == WAITING

    restored = tmp_path / "restored"
    restored.mkdir()
    for path in written:
        shutil.copy(path, restored / path.name.replace("copy", "rapport"))
    url = f"sqlite+aiosqlite:///{restored}/rapport.db"
    await migrate.upgrade(url)  # what `rapport run` does first
    clock.advance(timedelta(minutes=15))  # the intake's leases and the platform's pause are over
    after = LocalPlatform()
    runtime = await start(url, after, clock)
    await runtime.intake.sweep()
    await runtime.intake.idle()
    await runtime.sender.drain()
    await runtime.sender.drain()
    await stop(runtime)

    sent_after = [delivery.key for delivery in after.sends]
    waiting = {f"local:Ev{1000 + number}:0" for number in range(WAITING)}
    assert len(sent_after) == len(set(sent_after))  # nothing twice
    assert set(sent_after) == unsent_in_copy | waiting  # the unsent, and the waiting handled
    assert not set(sent_after) & sent_in_copy  # nothing sent again that the copy knew was sent
    final = rows(restored / "rapport.db", "SELECT key, status FROM outbox_message")
    assert {str(key) for key, _ in final} == sent_in_copy | unsent_in_copy | waiting
    assert {status for _, status in final} == {"sent"}
    assert rows(restored / "rapport.intake.db", "SELECT id FROM inbound_event") == []


def test_the_command_copies_a_database_and_refuses_to_overwrite(
    tmp_path: Path, database: str
) -> None:
    done = run_rapport(tmp_path, "backup", "copy.db", DATABASE_URL=database)
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stdout
    assert rows(tmp_path / "copy.db", "SELECT count(*) FROM workspace") == [(1,)]
    again = run_rapport(tmp_path, "backup", "copy.db", DATABASE_URL=database)
    assert again.returncode == 1
    assert "exists already" in again.stdout


def test_on_postgresql_the_command_points_at_pg_dump(tmp_path: Path) -> None:
    done = run_rapport(
        tmp_path, "backup", "copy.db", DATABASE_URL="postgresql://rapport:hunter2@db/rapport"
    )
    assert done.returncode == 1
    assert "pg_dump" in done.stdout
    assert "hunter2" not in done.stdout + done.stderr
    assert not (tmp_path / "copy.db").exists()


async def _database(name: str, *, drop: bool) -> None:
    admin = await asyncpg.connect(PG_DSN)
    try:
        await admin.execute(
            f'DROP DATABASE IF EXISTS "{name}"' if drop else f'CREATE DATABASE "{name}"'
        )
    finally:
        await admin.close()


def _dsn(name: str) -> str:
    return PG_DSN.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def postgres() -> None:
    _require_postgres()


async def test_the_documented_pg_dump_and_pg_restore_bring_everything_back(
    tmp_path: Path, postgres: None
) -> None:
    """docs/operations/backups.md: `pg_dump --format=custom`, then `pg_restore` into an empty
    database, then Rapport starts on it and finds its schema up to date."""
    tools = [shutil.which("pg_dump"), shutil.which("pg_restore")]
    if None in tools:
        pytest.skip("pg_dump and pg_restore (PostgreSQL's client tools) are not installed")
    source, target = (f"rapport_backup_{secrets.token_hex(4)}_{side}" for side in "ab")
    for name in (source, target):
        await _database(name, drop=False)
    try:
        url = "postgresql+asyncpg://" + _dsn(source).split("://", 1)[1]
        await migrate.upgrade(url)
        runtime = await start(url, LocalPlatform(), VirtualClock(START))
        for number in range(5):
            await runtime.bot.dispatch(command(number))
        await stop(runtime)
        dump = tmp_path / "rapport.dump"
        dumped = await asyncio.to_thread(
            subprocess.run,
            ["pg_dump", "--format=custom", f"--file={dump}", _dsn(source)],
            capture_output=True,
            text=True,
        )
        assert dumped.returncode == 0, dumped.stderr
        restored = await asyncio.to_thread(
            subprocess.run,
            ["pg_restore", "--no-owner", f"--dbname={_dsn(target)}", str(dump)],
            capture_output=True,
            text=True,
        )
        assert restored.returncode == 0, restored.stderr
        url = "postgresql+asyncpg://" + _dsn(target).split("://", 1)[1]
        await migrate.upgrade(url)  # nothing to do: the schema came along
        after = LocalPlatform()
        runtime = await start(url, after, VirtualClock(START))
        await runtime.sender.drain()
        assert (await runtime.bot.dispatch(command(4))).status == "duplicate"  # it remembers
        await stop(runtime)
        assert sorted(d.key for d in after.sends) == [f"local:Ev{n}:0" for n in range(5)]
    finally:
        for name in (source, target):
            await _database(name, drop=True)

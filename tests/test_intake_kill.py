"""A kill -9 right after the last acknowledgement of a burst loses no acknowledged event and
applies none twice: a real `rapport run` with the Slack adapter, on SQLite and PostgreSQL,
alone or as a front with a worker behind it (docs/operations/replicas.md).

Each of BURST people gives kudos once by a signed slash command; as soon as the last one has
been answered 200, the process is killed (SIGKILL: nothing of it runs after). Started again,
the next process takes over the rows its predecessor left, once their lease runs out, and
the test counts the kudos: every one there, none twice.
"""

import asyncio
import os
import secrets
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import asyncpg
import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text

from bot.delivery.intake import intake_url
from bot.store.db import Database, make_engine
from tests.adapters.slack.fake_slack import TEAM, FakeSlack
from tests.conftest import PG_DSN, PG_URL, _require_postgres
from tests.test_cli import clean_env, free_port, rapport
from tests.waiting import SAFETY, until_async

SECRET = "kill-test-signing-secret"
CHANNEL = "C0GENERAL"
BURST = 200
PEOPLE = [f"U{n:05d}" for n in range(BURST + 1)]


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack(channels={"general": CHANNEL, "kudos": "C0KUDOS"})
    fake.member_of |= {CHANNEL, "C0KUDOS"}
    for person in PEOPLE:
        fake.user(person, person.lower())
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own for the `rapport run` processes (they migrate it)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/kill.db"
        return
    _require_postgres()
    name = f"kill_{secrets.token_hex(6)}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    admin = await asyncpg.connect(PG_DSN)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


def kudos_command(n: int) -> tuple[bytes, dict[str, str]]:
    giver, receiver = PEOPLE[n], PEOPLE[n + 1]
    body = urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "acme",
            "channel_id": CHANNEL,
            "channel_name": "general",
            "user_id": giver,
            "user_name": giver.lower(),
            "command": "/kudos",
            "text": f"<@{receiver}|x> thanks for review number {n}",
            "api_app_id": "A0RAPPORT",
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": f"{n}.kill.{secrets.token_hex(3)}",
        }
    )
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    return body.encode(), headers


class Runs:
    """`rapport run` processes, each killed in the end whatever happens to the test."""

    def __init__(self, tmp_path: Path, database_url: str, fake: FakeSlack) -> None:
        self.tmp_path, self.database_url, self.fake = tmp_path, database_url, fake
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, role: str = "all") -> tuple[subprocess.Popen[bytes], int, Path]:
        port = free_port()
        output = self.tmp_path / f"run{len(self.started)}.log"
        with output.open("wb") as log:
            process = subprocess.Popen(
                rapport("run"),
                cwd=self.tmp_path,
                env=clean_env(
                    DATABASE_URL=self.database_url,
                    HTTP_PORT=str(port),
                    SLACK_BOT_TOKEN="xoxb-test-token",
                    SLACK_SIGNING_SECRET=SECRET,
                    SLACK_API_BASE_URL=self.fake.api_url,
                    SEED_DEMO="false",
                    LOG_LEVEL="WARNING",
                    # A short lease: the successor takes the rows over seconds after the kill.
                    INTAKE_LEASE_SECONDS="3",
                    INTAKE_POLL_SECONDS="0.2",
                    RUN_ROLE=role,
                ),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.started.append(process)
        return process, port, output

    def kill_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=SAFETY)


def alive(process: subprocess.Popen[bytes], output: Path) -> None:
    assert process.poll() is None, output.read_text()


async def ready(
    http: aiohttp.ClientSession, port: int, process: subprocess.Popen[bytes], output: Path
) -> bool:
    alive(process, output)
    try:
        # Ready, not only healthy: Slack's route answers 503 while the features load.
        async with http.get(f"http://127.0.0.1:{port}/readyz") as response:
            return response.status == 200
    except aiohttp.ClientError:
        return False


async def count(db: Database, sql: str) -> int:
    async with db.engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar() or 0)


@pytest.mark.parametrize("roles", [["all"], ["front", "worker"]], ids=["alone", "front+worker"])
async def test_a_kill_after_the_last_ack_loses_nothing_and_applies_nothing_twice(
    tmp_path: Path, database_url: str, fake_slack: FakeSlack, roles: list[str]
) -> None:
    runs = Runs(tmp_path, database_url, fake_slack)
    db = Database(make_engine(database_url))
    intake = Database(make_engine(intake_url(database_url)))
    timeout = aiohttp.ClientTimeout(total=SAFETY)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as http:
            ports = []
            for role in roles:  # one after another: the first migrates the database
                process, port, output = runs.start(role)
                started = partial(ready, http, port, process, output)
                await until_async(started, f"the {role}")
                ports.append(port)

            async def send(n: int) -> int:
                body, headers = kudos_command(n)
                url = f"http://127.0.0.1:{ports[0]}/slack/events"
                async with http.post(url, data=body, headers=headers) as response:
                    return response.status

            statuses = await asyncio.gather(*(send(n) for n in range(BURST)))
            for process in runs.started:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=SAFETY)
            assert statuses == [200] * BURST
            # Acknowledged and not yet handled when the process died: what a crash used to lose.
            waiting = await count(intake, "SELECT count(*) FROM inbound_event")
            assert waiting > 0, "the burst was all handled before the kill: nothing was tested"

            second, port, output = runs.start(roles[-1])
            await until_async(lambda: ready(http, port, second, output), "the second run")

            async def worked_off() -> bool:
                alive(second, output)
                return await count(intake, "SELECT count(*) FROM inbound_event") == 0

            await until_async(worked_off, "the events the first run left")
        assert await count(db, "SELECT count(*) FROM kudos") == BURST
        assert await count(db, "SELECT count(DISTINCT reason) FROM kudos") == BURST
        assert await count(db, "SELECT count(*) FROM processed_event") == BURST
    finally:
        runs.kill_all()
        await db.dispose()
        await intake.dispose()

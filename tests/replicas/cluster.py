"""Several real `rapport run` processes on one PostgreSQL database, and a Slack to count on.

Each cluster gets a database of its own (replicas are separate processes, so a schema picked
by connection settings, as tests/conftest.py does in-process, cannot reach them). The fake
Slack Web API runs in the test's event loop and deduplicates nothing: a message posted twice
shows up twice in `posted`.
"""

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.models import Person, Workspace
from bot.store.db import Database, make_engine
from bot.wiring.config import Settings
from handlers.pulse.authoring import create_survey
from handlers.pulse.spec import SurveySpec
from tests.conftest import PG_DSN
from tests.replicas.slack_api import TOKEN, SlackApi
from tests.waiting import SAFETY

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _clean_env(**settings: str) -> dict[str, str]:
    ours = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    # Replicas run the code of this tree, wherever the package is installed from.
    path = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path, **settings}


@dataclass
class Replica:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Cluster:
    url: str
    role: str
    slack: SlackApi
    scratch: Path
    http: aiohttp.ClientSession
    db: Database
    replicas: list[Replica] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)

    def start(self, name: str) -> Replica:
        port = free_port()
        log = self.scratch / f"{name}.log"
        settings = {
            "DATABASE_URL": self.url,
            "DATABASE_POOL_SIZE": "3",
            "HTTP_PORT": str(port),
            "REPLICA_ID": name,
            "SEED_DEMO": "false",
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_BASE_URL": self.slack.api_url,
            # Quick ticks and a short lease keep the test short; production keeps the defaults.
            "SCHEDULER_TICK_SECONDS": "0.5",
            "OUTBOX_POLL_SECONDS": "0.2",
            "OUTBOX_LEASE_SECONDS": "3",
            "OUTBOX_BACKOFF_SECONDS": "0.5",
        }
        env = _clean_env(**(settings | self.settings))
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot.wiring.console_script", "run"],
                cwd=self.scratch,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        replica = Replica(name, port, process, log)
        self.replicas.append(replica)
        return replica

    async def health(self, replica: Replica, probe: str = "/healthz") -> dict[str, Any] | None:
        try:
            timeout = aiohttp.ClientTimeout(total=2)
            async with self.http.get(replica.url + probe, timeout=timeout) as response:
                return {"http_status": response.status, **await response.json()}
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def up(self, *replicas: Replica) -> None:
        for replica in replicas:

            async def answers(replica: Replica = replica) -> bool:
                assert replica.process.poll() is None, replica.output()
                # Ready: loaded and serving (a healthy replica may still be loading).
                health = await self.health(replica, "/readyz")
                return health is not None and health["http_status"] == 200

            await until(answers, f"{replica.name} to serve /readyz")

    async def owners(self) -> list[str]:
        """Live replicas that say they fire schedule triggers."""
        found = []
        for replica in self.replicas:
            if replica.process.poll() is None:
                health = await self.health(replica)
                if health and health.get("fires_triggers"):
                    found.append(replica.name)
        return found

    async def one_owner(self) -> Replica:
        async def single() -> bool:
            return len(await self.owners()) == 1

        await until(single, "exactly one replica to own the schedule triggers")
        name = (await self.owners())[0]
        return next(r for r in self.replicas if r.name == name)

    def kill(self, replica: Replica) -> None:
        replica.process.send_signal(signal.SIGKILL)
        replica.process.wait()

    async def execute(self, sql: str, **params: Any) -> None:
        async with self.db.session() as session:
            await session.exec(text(sql).bindparams(**params))  # type: ignore[call-overload]

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.db.session() as session:
            result = await session.exec(text(sql).bindparams(**params))  # type: ignore[call-overload]
            return result.scalar()

    async def settled(self, prefix: str, expected_posts: int) -> None:
        """Until nothing due is pending or leased and `expected_posts` went to `prefix`…"""

        async def done() -> bool:
            for replica in self.replicas:
                assert replica.process.returncode in (None, -signal.SIGKILL), replica.output()
            open_rows = await self.scalar(
                "SELECT count(*) FROM outbox_message WHERE status IN ('pending', 'sending')"
            )
            open_work = await self.scalar(
                "SELECT count(*) FROM due_work WHERE status = 'pending' AND run_at <= now()"
            )
            posts = sum(self.slack.per_channel(prefix).values())
            return open_rows == 0 and open_work == 0 and posts >= expected_posts

        await until(done, f"{expected_posts} posts and an empty outbox")

    def signed(self, body: str) -> dict[str, str]:
        stamp = str(int(time.time()))
        signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
        return {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": str(signature),
        }

    def kill_all(self) -> None:
        for replica in self.replicas:
            if replica.process.poll() is None:
                self.kill(replica)


async def until(check: Any, what: str) -> None:
    deadline = time.monotonic() + SAFETY
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _as_role(role: str) -> str:
    """PG_DSN's server and database, signed in as `role`."""
    where = PG_DSN.split("://", 1)[1].split("@", 1)[-1]
    return f"postgresql+asyncpg://{role}@{where}"


@asynccontextmanager
async def cluster(scratch: Path, rate: float | None = None) -> AsyncIterator[Cluster]:
    """A schema of its own, the fake Slack and an HTTP client; the test starts the replicas.

    Replicas are other processes, so the schema cannot be picked per connection as
    tests/conftest.py does: a role of the cluster's own has it as its search_path instead
    (creating a database would be simpler, but CREATE and DROP DATABASE each wait for a
    checkpoint, many seconds on a busy server).
    """
    name = f"replicas_{secrets.token_hex(5)}"
    admin = await asyncpg.connect(PG_DSN)
    await admin.execute(f'CREATE ROLE "{name}" LOGIN')
    await admin.execute(f'CREATE SCHEMA "{name}" AUTHORIZATION "{name}"')
    await admin.execute(f'ALTER ROLE "{name}" SET search_path = "{name}"')
    await admin.close()
    slack = SlackApi(rate=rate)
    await slack.start()
    url = _as_role(name)
    db = Database(make_engine(url, 2, application_name="replica tests"))
    http = aiohttp.ClientSession()
    world = Cluster(url, name, slack, scratch, http, db)
    try:
        yield world
    finally:
        world.kill_all()
        await http.close()
        await db.dispose()
        await slack.close()
        admin = await asyncpg.connect(PG_DSN)
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", name
        )
        await admin.execute(f'DROP SCHEMA "{name}" CASCADE')
        await admin.execute(f'DROP ROLE "{name}"')
        await admin.close()


async def tables_ready(world: Cluster) -> None:
    """Replicas migrate at start-up; wait for them instead of racing them."""

    async def migrated() -> bool:
        return bool(await world.scalar("SELECT to_regclass('rate_limit_pause') IS NOT NULL"))

    await until(migrated, "the replicas to migrate the database")
    assert SQLModel.metadata.tables  # every model is registered before the rows below


async def slack_workspace(world: Cluster, team: str, people: int) -> int:
    """Slack workspace `team` with `people` members U<team>00000…, all in UTC; its id."""
    now = datetime.now(UTC)
    async with world.db.session() as session:
        workspace = Workspace(platform="slack", external_id=team, name=team, created_at=now)
        session.add(workspace)
        await session.flush()
        assert workspace.id is not None
        session.add_all(
            Person(
                workspace_id=workspace.id,
                platform_user_id=f"U{team}{i:05d}",
                display_name=f"person {i}",
                created_at=now,
            )
            for i in range(people)
        )
        return workspace.id


async def pulse_to_everyone(world: Cluster, workspace_id: int, people: int) -> None:
    """Everyone in the workspace is asked; the survey's schedule fires on the owner's next tick.

    Pulse DMs wait for each person's working hours on a weekday; so that the test runs on any
    day at any hour, the per-person units are made due now once the fan-out has written them.
    """
    spec = SurveySpec.model_validate(
        {
            "title": "Replica pulse",
            "questions": [{"kind": "scale", "prompt": "How was your week?"}],
            "audience": "everyone",
            "schedule": "once",
        }
    )
    async with world.db.session() as session:
        workspace = await session.get(Workspace, workspace_id)
        assert workspace is not None
        await create_survey(session, workspace, spec, None, datetime.now(UTC))
    units = (
        "FROM due_work WHERE kind = 'pulse.deliver' AND schedule_id IN "
        "(SELECT id FROM schedule WHERE workspace_id = :workspace)"
    )

    async def fanned_out() -> bool:
        return bool(
            await world.scalar(f"SELECT count(*) {units}", workspace=workspace_id) == people
        )

    await until(fanned_out, f"the survey to fan out to {people} people")
    await world.execute(
        f"UPDATE due_work SET run_at = now() WHERE id IN (SELECT id {units})",
        workspace=workspace_id,
    )

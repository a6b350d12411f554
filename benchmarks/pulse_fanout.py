"""Pulse fan-out benchmark: one survey to N people, end to end, through the production loop.

A fake chat API (an aiohttp server in this process) accepts at most RATE messages a second
and answers 429 with Retry-After beyond that; like Slack's, Discord's or the local platform's
idempotency, a message key it has already accepted is acknowledged again, not shown twice.
The bot runs as a separate worker process: `Runtime.serve`, the loops `rapport run` runs
(triggers, due work, outbox), on a SQLite file or, with --database-url, in a PostgreSQL
schema of its own. The survey falls due START_LEAD_SECONDS after the worker is started, and
the clock runs from that moment to the last DM. Three phases, each on a fresh database:

1. unpaced, the baseline: the platform declares no rate, so only the API's 429s slow the
   sender down (as before bot/delivery/pacing.py);
2. clean: the platform declares its rate and the outbox keeps to it;
3. killed: as clean, but the worker is killed with SIGKILL part-way, and a new one is
   started on the same database and finishes.

Each prints delivered, duplicates (a person given the survey more than once: must be 0),
re-sent keys the API absorbed, 429s, and throughput from the survey falling due to the last
DM as a ratio of the allowed rate (and, for comparison, from the first DM to the last).

    .venv/bin/python benchmarks/pulse_fanout.py --recipients 10000 --rate 50 \\
        [--database-url postgresql+asyncpg://127.0.0.1:5432/test]

Results are recorded in benchmarks/README.md.
"""

import argparse
import asyncio
import cProfile
import functools
import math
import os
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.contract.events import Actor
from bot.contract.platform import Delivery, RateLimited
from bot.delivery.pacing import Limits, per_second
from bot.models import Person, Workspace
from bot.store import migrate
from bot.store.db import Database, make_engine
from bot.wiring import heap
from bot.wiring.assembly import assemble
from bot.wiring.config import Settings
from handlers import build_router
from handlers.pulse.authoring import create_survey
from handlers.pulse.spec import SurveySpec

# A Monday morning in London: everyone is inside working hours, whatever day the run is on.
BASE = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
PLATFORM = "bench"
# The worker's clock reaches BASE, when the survey falls due, this long after it is started.
START_LEAD_SECONDS = 10.0
PROFILE = "PULSE_FANOUT_PROFILE"


@dataclass
class FakeApi:
    rate: float
    milestone: float = math.inf
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    done_at: float = math.inf
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    tokens: float = 0.0
    refilled: float = field(default_factory=time.monotonic)
    accepted: dict[str, str] = field(default_factory=dict)
    per_user: Counter[str] = field(default_factory=Counter)
    absorbed: int = 0
    limited: int = 0
    first: float | None = None
    last: float | None = None
    last_wall: float = 0.0

    def __post_init__(self) -> None:
        self.tokens = self.rate

    async def send(self, request: web.Request) -> web.Response:
        body = await request.json()
        key, user = body["key"], body["user"]
        if key in self.accepted:
            self.absorbed += 1
            return web.json_response({"id": self.accepted[key]})
        now = time.monotonic()
        self.tokens = min(self.rate, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens < 1:
            self.limited += 1
            wait = math.ceil((1 - self.tokens) / self.rate)
            return web.json_response({"ok": False}, status=429, headers={"Retry-After": str(wait)})
        self.tokens -= 1
        self.accepted[key] = f"m{len(self.accepted) + 1}"
        self.per_user[user] += 1
        self.first = self.first or now
        self.last = now
        self.last_wall = time.time()
        if len(self.accepted) >= self.milestone:
            self.reached.set()
        if len(self.accepted) >= self.done_at:
            self.finished.set()
        return web.json_response({"id": self.accepted[key]})

    def stats(self, due_at: float) -> dict[str, float]:
        """Throughput end to end: from the survey falling due (wall time) to the last DM."""
        span = (self.last or 0) - (self.first or 0)
        delivered = len(self.accepted)
        end_to_end = self.last_wall - due_at
        return {
            "end_to_end": end_to_end,
            "ratio": delivered / end_to_end / self.rate if end_to_end > 0 else 0.0,
            "sending_ratio": (delivered - 1) / span / self.rate if span > 0 else 0.0,
            "delivered": delivered,
            "people": len(self.per_user),
            "duplicates": sum(n - 1 for n in self.per_user.values()),
            "absorbed": self.absorbed,
            "limited": self.limited,
            "seconds": span,
        }


class HttpPlatform:
    """The bot's side of the fake API."""

    name = PLATFORM

    def __init__(self, url: str) -> None:
        self.url = url
        self.http: aiohttp.ClientSession | None = None

    async def send(self, delivery: Delivery) -> str | None:
        if self.http is None:
            self.http = aiohttp.ClientSession()
        payload = {"key": delivery.key, "user": delivery.destination.user}
        async with self.http.post(self.url, json=payload) as response:
            if response.status == 429:
                raise RateLimited(float(response.headers.get("Retry-After", "1")))
            response.raise_for_status()
            return str((await response.json())["id"])

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        return None

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        return []


class PacedHttpPlatform(HttpPlatform):
    """The same, declaring the API's rate to the outbox, which keeps to it (bot.delivery.pacing)."""

    def __init__(self, url: str, rate: float) -> None:
        super().__init__(url)
        self.rate = rate

    def send_limits(self, delivery: Delivery) -> list[tuple[Hashable, Limits]]:
        return [("", per_second(self.rate))]


class ShiftedClock:
    """Real time, moved so that the run starts on BASE; shared by every worker process."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def settings(url: str) -> Settings:
    # A short lease so that the rows a killed worker had claimed are re-sent soon.
    return Settings(_env_file=None, database_url=url, outbox_lease_seconds=5)


def engine_for(url: str, schema: str) -> Database:
    """The database, on PostgreSQL in a schema of the run's own."""
    if not schema:
        return Database(make_engine(url))
    search_path = {"server_settings": {"search_path": schema}}
    return Database(make_engine(url, connect_args=search_path))


async def prepare(url: str, schema: str, recipients: int, now: datetime) -> None:
    db = engine_for(url, schema)
    await migrate.upgrade(url, db.engine)
    async with db.session() as session:
        workspace = Workspace(platform=PLATFORM, external_id="bench", created_at=now)
        session.add(workspace)
        await session.flush()
        assert workspace.id is not None
        session.add_all(
            Person(
                workspace_id=workspace.id,
                platform_user_id=f"u{i}",
                timezone="Europe/London",
                created_at=now,
            )
            for i in range(recipients)
        )
        spec = SurveySpec.model_validate(
            {
                "title": "Benchmark pulse",
                "questions": [{"kind": "scale", "prompt": "How was your week?"}],
                "audience": "everyone",
                "schedule": "once",
            }
        )
        await create_survey(session, workspace, spec, None, now)
    await db.dispose()


async def worker(url: str, schema: str, api: str, due_at: float, rate: float) -> None:
    """`Runtime.serve`, as `rapport run` runs it, on a clock that reaches BASE at `due_at`
    (wall time); until SIGTERM."""
    db = engine_for(url, schema)
    platform = PacedHttpPlatform(api, rate) if rate else HttpPlatform(api)
    clock = ShiftedClock(BASE - datetime.fromtimestamp(due_at, UTC))
    rapport = await assemble(settings(url), build_router(), clock, None, db=db, seed=False)
    rapport.bot.platforms[PLATFORM] = platform
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    heap.settle_after_startup()
    if time.time() > due_at:
        print(f"  (worker started {time.time() - due_at:.1f} s after the survey fell due)")
    await rapport.runtime.serve(stop)
    if platform.http is not None:
        await platform.http.close()
    await rapport.close()


@asynccontextmanager
async def database(url: str) -> AsyncIterator[str]:
    """A fresh place for one phase: a SQLite file, or a new PostgreSQL schema (its name)."""
    if not url:
        yield ""
        return
    schema = f"bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(_dsn(url))
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema
    finally:
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


def _dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


async def phase(
    name: str, url: str, recipients: int, rate: float, kill_at: float | None, unpaced: bool
) -> dict[str, float]:
    api = FakeApi(rate, milestone=kill_at * recipients if kill_at is not None else math.inf)
    api.done_at = recipients
    app = web.Application()
    app.router.add_post("/send", api.send)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as scratch:
        async with database(url) as schema:
            where = url or f"sqlite+aiosqlite:///{scratch}/bench.db"
            await prepare(where, schema, recipients, BASE)
            due_at = time.time() + START_LEAD_SECONDS
            command = [
                sys.executable,
                __file__,
                "--worker",
                where,
                schema,
                f"http://127.0.0.1:{port}/send",
                str(due_at),
                str(0 if unpaced else rate),
            ]
            process = await asyncio.create_subprocess_exec(*command)
            if kill_at is not None:
                await api.reached.wait()
                process.send_signal(signal.SIGKILL)
                await process.wait()
                print(f"  killed the worker after {len(api.accepted)} deliveries; restarting")
                process = await asyncio.create_subprocess_exec(*command)
            await api.finished.wait()
            process.send_signal(signal.SIGTERM)
            await process.wait()
    await runner.cleanup()
    stats = api.stats(due_at)
    print(
        f"{name}: delivered {stats['delivered']:.0f} to {stats['people']:.0f} people, "
        f"duplicates {stats['duplicates']:.0f}, re-sent keys absorbed {stats['absorbed']:.0f}, "
        f"429s {stats['limited']:.0f}; due to last DM {stats['end_to_end']:.1f} s: "
        f"{stats['ratio']:.2f} of {rate:g}/s end to end "
        f"(first to last DM {stats['seconds']:.1f} s: {stats['sending_ratio']:.2f})",
        flush=True,
    )
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction delivered")
    parser.add_argument(
        "--phases",
        default="unpaced,clean,killed",
        help="any of: unpaced (the baseline: no declared rate, 429s pace the sender), clean, "
        "killed",
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL URL (a schema per phase); SQLite if empty"
    )
    parser.add_argument("--worker", nargs=5, metavar=("DB", "SCHEMA", "API", "DUE_AT", "RATE"))
    parser.add_argument("--profile", default="", help="write the worker's cProfile stats here")
    parser.add_argument(
        "--batch", type=int, default=20, help="SCHEDULER_BATCH_SIZE: due-work units a transaction"
    )
    args = parser.parse_args()
    if args.worker:
        url, schema, api, due_at, rate = args.worker
        run = functools.partial(worker, url, schema, api, float(due_at), float(rate))
        if os.environ.get(PROFILE):
            cProfile.runctx("asyncio.run(run())", globals(), locals(), os.environ[PROFILE])
        else:
            asyncio.run(run())
        return
    if args.profile:
        os.environ[PROFILE] = args.profile
    os.environ["SCHEDULER_BATCH_SIZE"] = str(args.batch)  # read by the worker's Settings
    where = args.database_url or "SQLite"
    print(
        f"pulse fan-out: {args.recipients} recipients, fake API at {args.rate:g} messages/s, "
        f"{where.split('@')[-1]}, SCHEDULER_BATCH_SIZE={args.batch}"
    )
    results = {}
    for name in args.phases.split(","):
        kill_at = args.kill_at if name == "killed" else None
        unpaced = name == "unpaced"
        results[name] = asyncio.run(
            phase(name, args.database_url, args.recipients, args.rate, kill_at, unpaced)
        )
    if "unpaced" in results and "clean" in results:
        gain = results["clean"]["ratio"] / results["unpaced"]["ratio"]
        print(f"end to end, paced / unpaced: {gain:.2f}x")


if __name__ == "__main__":
    main()

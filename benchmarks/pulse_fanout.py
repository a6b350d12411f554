"""Pulse fan-out benchmark: one survey to N people through the scheduler and the outbox.

A fake chat API (an aiohttp server in this process) accepts at most RATE messages a second
and answers 429 with Retry-After beyond that; like Slack's, Discord's or the local platform's
idempotency, a message key it has already accepted is acknowledged again, not shown twice.
The bot runs as a separate worker process on a SQLite file. Two phases:

1. clean: the worker delivers the whole run;
2. killed: the worker is killed with SIGKILL part-way, a new one is started on the same
   database and finishes.

Each prints delivered, duplicates (a person given the survey more than once: must be 0),
re-sent keys the API absorbed, and throughput as a ratio of the allowed rate.

    .venv/bin/python benchmarks/pulse_fanout.py --recipients 10000 --rate 50

Results are recorded in benchmarks/README.md.
"""

import argparse
import asyncio
import math
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web
from sqlmodel import col, func, or_, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot import migrate
from bot.app import Bot
from bot.config import Settings
from bot.db import Database, make_engine
from bot.events import Actor
from bot.models import DueWork, OutboxMessage, Person, Workspace
from bot.platform import Delivery, RateLimited
from bot.runtime import Runtime
from handlers import build_router
from handlers.pulse.authoring import create_survey
from handlers.pulse.spec import SurveySpec

# A Monday morning in London: everyone is inside working hours, whatever day the run is on.
BASE = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
PLATFORM = "bench"


@dataclass
class FakeApi:
    rate: float
    milestone: float = math.inf
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    tokens: float = 0.0
    refilled: float = field(default_factory=time.monotonic)
    accepted: dict[str, str] = field(default_factory=dict)
    per_user: Counter[str] = field(default_factory=Counter)
    absorbed: int = 0
    limited: int = 0
    first: float | None = None
    last: float | None = None

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
        if len(self.accepted) >= self.milestone:
            self.reached.set()
        return web.json_response({"id": self.accepted[key]})

    def stats(self) -> dict[str, float]:
        span = (self.last or 0) - (self.first or 0)
        delivered = len(self.accepted)
        return {
            "delivered": delivered,
            "people": len(self.per_user),
            "duplicates": sum(n - 1 for n in self.per_user.values()),
            "absorbed": self.absorbed,
            "limited": self.limited,
            "seconds": span,
            "ratio": (delivered - 1) / span / self.rate if span > 0 else 0.0,
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


class ShiftedClock:
    """Real time, moved so that the run starts on BASE; shared by every worker process."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def settings(url: str) -> Settings:
    # A short lease so that the rows a killed worker had claimed are re-sent soon.
    return Settings(_env_file=None, database_url=url, outbox_lease_seconds=5)  # type: ignore[call-arg]


async def prepare(url: str, recipients: int, now: datetime) -> None:
    await migrate.upgrade(url)
    db = Database(make_engine(url))
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


async def worker(url: str, api: str, offset_seconds: float) -> None:
    db = Database(make_engine(url))
    platform = HttpPlatform(api)
    clock = ShiftedClock(timedelta(seconds=offset_seconds))
    bot = Bot(db, build_router(), settings(url), clock, {PLATFORM: platform})
    runtime = Runtime(bot, f"bench-{os.getpid()}")
    while True:
        await runtime.settle()
        async with db.session() as session:
            work = (
                await session.exec(
                    select(func.count()).select_from(DueWork).where(DueWork.status == "pending")
                )
            ).one()
            unsent = (
                await session.exec(
                    select(func.count())
                    .select_from(OutboxMessage)
                    .where(
                        or_(
                            col(OutboxMessage.status) == "pending",
                            col(OutboxMessage.status) == "sending",
                        )
                    )
                )
            ).one()
        if not work and not unsent:
            break
        await asyncio.sleep(0.05)
    if platform.http is not None:
        await platform.http.close()
    await db.dispose()


async def phase(name: str, recipients: int, rate: float, kill_at: float | None) -> None:
    api = FakeApi(rate, milestone=kill_at * recipients if kill_at is not None else math.inf)
    app = web.Application()
    app.router.add_post("/send", api.send)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/bench.db"
        offset = (BASE - datetime.now(UTC)).total_seconds()
        await prepare(url, recipients, BASE)
        command = [
            sys.executable,
            __file__,
            "--worker",
            url,
            f"http://127.0.0.1:{port}/send",
            str(offset),
        ]
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(*command)
        if kill_at is not None:
            await api.reached.wait()
            process.send_signal(signal.SIGKILL)
            await process.wait()
            print(f"  killed the worker after {len(api.accepted)} deliveries; restarting")
            process = await asyncio.create_subprocess_exec(*command)
        await process.wait()
        elapsed = time.monotonic() - started
    await runner.cleanup()
    stats = api.stats()
    print(
        f"{name}: delivered {stats['delivered']:.0f} to {stats['people']:.0f} people, "
        f"duplicates {stats['duplicates']:.0f}, re-sent keys absorbed {stats['absorbed']:.0f}, "
        f"429s {stats['limited']:.0f}, {stats['seconds']:.1f} s sending "
        f"({elapsed:.1f} s in all), throughput {stats['ratio']:.2f} of {rate:g}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--kill-at", type=float, default=0.4, help="fraction delivered")
    parser.add_argument("--worker", nargs=3, metavar=("DB", "API", "OFFSET"))
    args = parser.parse_args()
    if args.worker:
        url, api, offset = args.worker
        asyncio.run(worker(url, api, float(offset)))
        return
    print(f"pulse fan-out: {args.recipients} recipients, fake API at {args.rate:g} messages/s")
    asyncio.run(phase("clean", args.recipients, args.rate, None))
    asyncio.run(phase("killed", args.recipients, args.rate, args.kill_at))


if __name__ == "__main__":
    main()

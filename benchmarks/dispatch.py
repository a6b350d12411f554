"""Dispatch benchmark: the kudos mix through Bot.dispatch, the work behind every platform's ack.

Half `/kudos <@someone> thanks ...` commands and half `:tada:` reactions from 1,000 people, handed
to `Bot.dispatch` as an adapter does, at most `--slots` at a time (the adapters' limit on work
in flight). An event counts as handled when its handler is done and its transaction, outbox
rows included, is committed. Sending is not part of it: `benchmarks/outbox_lanes.py` measures
that.

Two runs on fresh SQLite files, the same events in the same order:

- `one by one`: the baseline, as Rapport dispatched before: SQLAlchemy's aiosqlite driver as
  it comes, and a transaction of its own for every event;
- `rapport`: as `rapport run` dispatches: the events that queue up share a transaction
  (`bot/contract/group_commit.py`), whose statements run without a trip to the driver's thread
  (`bot/store/sqlite_trips.py`).

It prints events/s, CPU milliseconds per event (every thread of the process) and the ratio
against the baseline. With `--database-url` both runs use that database (e.g. PostgreSQL)
through its own driver: the ratio is then group commit's alone.

    .venv/bin/python benchmarks/dispatch.py --events 3000

Results are recorded in benchmarks/README.md.
"""

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.local.platform import LocalPlatform
from bot.contract.app import DISPATCH_BATCH, Bot
from bot.contract.events import Actor, AnyEvent, Command, Reaction
from bot.store import migrate
from bot.store.db import Database, make_engine
from bot.store.sqlite_turn import BUSY_TIMEOUT_SECONDS
from bot.time.clock import RealClock
from bot.wiring.config import Settings
from handlers import build_router

# Enough people that nobody reaches the default allowance of 5 kudos a day in a run.
PEOPLE = [Actor(id=f"U{n:05d}", name=f"person{n}") for n in range(1000)]
WARM_UP = 200


@dataclass
class Result:
    name: str
    events: int
    seconds: float
    cpu_seconds: float
    lag_ms: float = 0.0

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu_seconds / self.events


def kudos_mix(count: int, run: str) -> list[AnyEvent]:
    events: list[AnyEvent] = []
    for n in range(count):
        actor, other = PEOPLE[n % len(PEOPLE)], PEOPLE[(n * 7 + 1) % len(PEOPLE)]
        base: dict[str, Any] = {
            "event_id": f"{run}-{n}",
            "platform": "local",
            "workspace": f"T-{run}",  # a fresh workspace: a database may outlive a run
            "workspace_name": "Acme",
            "actor": actor,
            "channel": "general",
        }
        if n % 2:
            events.append(
                Reaction(
                    **base,
                    emoji="tada",
                    message_id=f"m{n}",
                    message_author=other.id,
                    message_text="shipped it",
                )
            )
        else:
            text = f"<@{other.id}> thanks for the careful review of the release"
            events.append(Command(**base, name="kudos", text=text))
    return events


async def measure(
    name: str, url: str, engine_options: dict[str, Any], args: Any, batch: int
) -> Result:
    await migrate.upgrade(url)
    settings = Settings(_env_file=None, database_url=url, seed_demo=False, log_level="WARNING")  # type: ignore[call-arg]
    db = Database(make_engine(url, settings.database_pool_size, **engine_options))
    platform = LocalPlatform(echo=None)
    platform.users.update({person.id: person for person in PEOPLE})
    bot = Bot(db, build_router(), settings, RealClock(), {"local": platform}, batch_limit=batch)
    events = kudos_mix(WARM_UP + args.events, secrets.token_hex(4))
    await run_all(bot, events[:WARM_UP], args.slots)
    lags: list[float] = []
    ticking = asyncio.create_task(tick(lags))
    wall, cpu = time.perf_counter(), time.process_time()
    await run_all(bot, events[WARM_UP:], args.slots)
    result = Result(name, args.events, time.perf_counter() - wall, time.process_time() - cpu)
    ticking.cancel()
    result.lag_ms = sorted(lags)[int(0.99 * len(lags))] * 1000
    await db.dispose()
    return result


async def tick(lags: list[float]) -> None:
    """How late a task that only wakes every millisecond runs: an ack arriving meanwhile
    waits as long for the event loop."""
    while True:
        asked = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append(time.perf_counter() - asked - 0.001)


async def run_all(bot: Bot, events: list[AnyEvent], slots: int) -> None:
    queue = iter(events)

    async def worker() -> None:
        for event in queue:
            outcome = await bot.dispatch(event)
            if outcome.status != "handled":
                raise RuntimeError(f"{event.event_id}: {outcome.status}")

    await asyncio.gather(*(worker() for _ in range(slots)))


def stock_aiosqlite(path: str) -> Callable[[], Any]:
    import aiosqlite

    return lambda: aiosqlite.connect(path, timeout=BUSY_TIMEOUT_SECONDS)


async def main(args: Any) -> None:
    folder = tempfile.mkdtemp(prefix="rapport-dispatch-")
    baseline_url = args.database_url or f"sqlite+aiosqlite:///{folder}/one-by-one.db"
    stock = (
        {} if args.database_url else {"async_creator": stock_aiosqlite(f"{folder}/one-by-one.db")}
    )
    rapport_url = args.database_url or f"sqlite+aiosqlite:///{folder}/rapport.db"
    results = [
        await measure("one by one", baseline_url, stock, args, 1),
        await measure("rapport", rapport_url, {}, args, DISPATCH_BATCH),
    ]
    baseline = results[0]
    print(
        f"{'run':<16} {'events':>7} {'events/s':>9} {'CPU ms/event':>13} {'ratio':>6} "
        f"{'loop lag p99 ms':>16}"
    )
    for result in results:
        print(
            f"{result.name:<16} {result.events:>7} {result.rate:>9.1f} "
            f"{result.cpu_ms:>13.2f} {result.rate / baseline.rate:>5.2f}x {result.lag_ms:>16.1f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000, help="at most 4,000")
    parser.add_argument("--slots", type=int, default=4)
    parser.add_argument("--database-url", default="")
    asyncio.run(main(parser.parse_args()))

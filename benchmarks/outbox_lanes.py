"""Outbox lanes benchmark: how fast the sender drains a full outbox, one message at a time
against several conversations at once.

N messages to C conversations (channels), written round robin as a burst from many people
would leave them, wait in an outbox on a SQLite file; the real Sender (bot/delivery/outbox.py)
drains
them through a fake platform whose every send takes a fixed latency, like an HTTP round trip
to a chat API. Measured in the same run at concurrency 1 (the sequential sender, the
baseline) and at OUTBOX_CONCURRENCY's default, each on a fresh database: messages a second
and the ratio. Each run checks that every message arrived once and that each conversation
got its messages in the order they were written.

    .venv/bin/python benchmarks/outbox_lanes.py --messages 2000 --conversations 200 --latency 0.02

Results are recorded in benchmarks/README.md.
"""

import argparse
import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.contract.events import Actor
from bot.contract.platform import Delivery
from bot.contract.ui import Destination, Message
from bot.delivery.outbox import OutboxWriter, Sender
from bot.models import Workspace
from bot.store import migrate
from bot.store.db import Database, make_engine
from bot.time.clock import RealClock
from bot.wiring.config import Settings

PLATFORM = "bench"
WRITE_CHUNK = 500


class SlowPlatform:
    """Every send takes `latency` seconds; what arrived is kept per conversation."""

    name = PLATFORM

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.received: defaultdict[str, list[int]] = defaultdict(list)

    async def send(self, delivery: Delivery) -> str | None:
        await asyncio.sleep(self.latency)
        self.received[delivery.destination.channel].append(int(delivery.message.text))
        return delivery.key

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        return None

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        return []


async def fill(db: Database, messages: int, conversations: int) -> None:
    now = datetime.now(UTC)
    async with db.session() as session:
        workspace = Workspace(platform=PLATFORM, external_id="bench", created_at=now)
        session.add(workspace)
    for start in range(0, messages, WRITE_CHUNK):
        async with db.session() as session:
            writer = OutboxWriter(session, workspace, f"burst{start}", now)
            for n in range(start, min(start + WRITE_CHUNK, messages)):
                where = Destination(kind="channel", channel=f"c{n % conversations}")
                writer.add(where, Message(text=str(n)))


async def run(messages: int, conversations: int, latency: float, concurrency: int) -> float:
    """Messages a second through the sender at `concurrency`, on a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite+aiosqlite:///{scratch}/bench.db"
        await migrate.upgrade(url)
        db = Database(make_engine(url))
        await fill(db, messages, conversations)
        settings = Settings(_env_file=None, database_url=url, outbox_concurrency=concurrency)  # type: ignore[call-arg]
        platform = SlowPlatform(latency)
        sender = Sender(db, {PLATFORM: platform}, RealClock(), settings, "bench")
        started = time.perf_counter()
        report = await sender.drain()
        elapsed = time.perf_counter() - started
        await db.dispose()
    check(platform, report.sent, messages, conversations)
    return messages / elapsed


def check(platform: SlowPlatform, sent: int, messages: int, conversations: int) -> None:
    expected = {
        f"c{c}": list(range(c, messages, conversations))
        for c in range(min(conversations, messages))
    }
    if sent != messages or dict(platform.received) != expected:
        raise SystemExit("messages lost, repeated or out of order within a conversation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds per send")
    args = parser.parse_args()
    default = Settings.model_fields["outbox_concurrency"].default
    print(
        f"outbox lanes: {args.messages} messages to {args.conversations} conversations, "
        f"{args.latency * 1000:g} ms per send, SQLite"
    )
    rates = {}
    for concurrency in (1, default):
        rates[concurrency] = asyncio.run(
            run(args.messages, args.conversations, args.latency, concurrency)
        )
        print(f"  concurrency {concurrency}: {rates[concurrency]:.1f} messages/s")
    print(f"  ratio {rates[default] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()

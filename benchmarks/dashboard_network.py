"""The dashboard's network page data: a first view against a repeated one.

    .venv/bin/python -m benchmarks.dashboard_network [--people 2000] [--interactions 150000]
        [--postgres]

Seeds one workspace with the synthetic organisation of the insights benchmark (uneven
departments, heavy-tailed activity, spread over 12 weeks: 150,000 interactions put about
50,000 in the page's four weeks and as many in the growth window before them) in a new
SQLite file, or with --postgres in a schema of its own at TEST_POSTGRES_DSN (dropped after).
Then, each in its own session as a page view is:

- the first view through the network cache: its fingerprint of the inputs, then the
  computation (data.network: loading, graph, sampled betweenness, connectors);
- repeated views a second apart with nothing new: the fingerprint only;
- the page's HTML and SVG from that data, the first time and again (the chart is kept with
  the computation);
- a view a minute for half an hour with nothing new: how many compute again (the window
  opens at midnight four weeks back, so only a new day or new data moves it).
"""

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import asyncpg
from sqlalchemy import insert

from benchmarks.insights import END, organisation
from bot.models import Interaction, Person, Workspace
from bot.store.db import Database, make_engine
from bot.wiring.schema import metadata
from handlers.dashboard import draw
from handlers.insights import dashboard as network_part
from handlers.insights.graph import KINDS
from handlers.insights.network_cache import NetworkCache
from handlers.insights.network_view import Network

PG_DSN = os.environ.get("TEST_POSTGRES_DSN", "postgresql://127.0.0.1:5432/test")
REPEATS = 5
MINUTES = 30
T = TypeVar("T")


async def seed(database: Database, people: int, interactions: int) -> None:
    members, table = organisation(people, interactions)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata().create_all)
    async with database.session() as session:
        workspace = Workspace(platform="local", external_id="W", name="Bench", created_at=END)
        session.add(workspace)
        await session.flush()
        person_rows = [
            {
                "id": m.id,
                "workspace_id": workspace.id,
                "platform_user_id": str(m.id),
                "display_name": m.name,
                "timezone": "UTC",
                "department": m.department,
                "roles": [],
                "preferences": {},
                "is_bot": False,
                "created_at": END,
            }
            for m in members
        ]
        connection = await session.connection()
        await connection.execute(insert(Person), person_rows)
        columns = zip(
            table.source.tolist(),
            table.target.tolist(),
            table.kind.tolist(),
            table.at.tolist(),
            strict=True,
        )
        edge_rows = [
            {
                "workspace_id": workspace.id,
                "source_id": s,
                "target_id": t,
                "kind": KINDS[k],
                "ref": f"bench:{i}",
                "weight": 1.0,
                "occurred_at": datetime.fromtimestamp(a, UTC),
            }
            for i, (s, t, k, a) in enumerate(columns)
        ]
        await connection.execute(insert(Interaction), edge_rows)


async def timed(work: Awaitable[T]) -> tuple[T, float]:
    began = time.perf_counter()
    result = await work
    return result, time.perf_counter() - began


async def views(database: Database) -> None:
    cache = NetworkCache()

    async def view(now: datetime) -> Network:
        async with database.session() as session:
            workspace = await session.get(Workspace, 1)
            assert workspace is not None
            return await cache.network(session, workspace, now)

    first, first_seconds = await timed(view(END))
    repeated = []
    for second in range(1, REPEATS + 1):
        now = END + timedelta(seconds=second)
        again, seconds = await timed(view(now))
        assert again.connectors == first.connectors and again.weights == first.weights
        repeated.append(seconds)
    assert cache.computations == 1
    drawings = draw.Drawings()
    began = time.perf_counter()
    drawings.svg(cache.figure(1, None, network_part.graph))
    render_seconds = time.perf_counter() - began
    began = time.perf_counter()
    drawings.svg(cache.figure(1, None, network_part.graph))
    rerender_seconds = time.perf_counter() - began
    shown = cache.figure(1, None, network_part.graph)
    for minute in range(1, MINUTES + 1):
        await view(END + timedelta(minutes=minute))
    repeat = statistics.median(repeated)
    print(
        f"{database.engine.dialect.name}: {first.people:,} people, {first.interactions:,} "
        f"interactions in the page's four weeks, {len(shown.nodes):,} "
        f"{'departments' if shown.grouped else 'people'} and {len(shown.edges):,} ties drawn"
    )
    print(f"first view (fingerprint + computation): {first_seconds * 1000:.0f} ms")
    print(
        f"repeated view a second later (fingerprint only, median of {REPEATS}): "
        f"{repeat * 1000:.1f} ms"
    )
    print(f"ratio first / repeated: {first_seconds / repeat:.0f}x")
    print(
        f"the network's SVG: {render_seconds * 1000:.0f} ms the first time, "
        f"{rerender_seconds * 1000:.1f} ms again (the chart kept with the computation)"
    )
    print(
        f"a view every minute for {MINUTES} minutes, no new interactions: "
        f"{cache.computations - 1} computed again (the window moved past an edge)"
    )


async def run(people: int, interactions: int, postgres: bool) -> None:
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            database = Database(make_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"))
            try:
                await seed(database, people, interactions)
                await views(database)
            finally:
                await database.dispose()
        return
    schema = f"bench_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(PG_DSN)
    await admin.execute(f'CREATE SCHEMA "{schema}"')
    url = "postgresql+asyncpg://" + PG_DSN.split("://", 1)[1]
    engine = make_engine(url, connect_args={"server_settings": {"search_path": schema}})
    database = Database(engine)
    try:
        await seed(database, people, interactions)
        await views(database)
    finally:
        await database.dispose()
        await admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--interactions", type=int, default=150_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.people, args.interactions, args.postgres))


if __name__ == "__main__":
    main()

"""Network insights at organisation scale: 50,000 people, 1,000,000 interactions.

    .venv/bin/python -m benchmarks.insights [--people 50000] [--interactions 1000000]

Synthetic organisation: 50 departments of uneven size (Zipf-like), activity heavy-tailed
(a few people do much more than most), three in four interactions inside the department, and
the kinds the bot records in realistic proportions, spread over 12 weeks. Measured in one run:

- the whole organisation's metrics with all interactions in one window (the worst case), and
  the weekly metrics (last week, growth against the week before, isolation over 4 weeks), each
  with time and peak traced memory, plus the digest-sized summary and the fairness report;
- the same weekly metrics read from a SQLite file through the bot's own loader;
- the baseline: networkx's exact betweenness on a 5,000-person sample of the same graph,
  against ours (exact, and sampled) on that sample: the time ratio and the agreement.
"""

import argparse
import asyncio
import sqlite3
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import networkx as nx
import numpy as np

from bot.store.db import Database, make_engine
from handlers.insights.betweenness import adjacency, betweenness
from handlers.insights.fairness import compute_fairness
from handlers.insights.graph import KINDS, EdgeTable, Member
from handlers.insights.metrics import compute_insights
from handlers.insights.store import weekly_insights

END = datetime(2027, 3, 29, tzinfo=UTC)
WEEKS = 12
SAMPLE = 5_000
SHARES = {
    "kudos": 0.35,
    "vote": 0.2,
    "reply": 0.15,
    "answer": 0.1,
    "coffee": 0.1,
    "idea_comment": 0.07,
    "mentoring": 0.03,
}
T = TypeVar("T")


def organisation(people: int, interactions: int, seed: int = 7) -> tuple[list[Member], EdgeTable]:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, 51) ** 0.8
    department = rng.choice(50, size=people, p=weights / weights.sum())
    members = [Member(i + 1, f"person {i + 1}", f"dept {d:02d}") for i, d in enumerate(department)]
    activity = rng.pareto(1.5, people) + 1
    source = rng.choice(people, size=interactions, p=activity / activity.sum())
    target = rng.integers(0, people, interactions)
    inside = rng.random(interactions) < 0.75
    by_department = [np.flatnonzero(department == d) for d in range(50)]
    for d, staff in enumerate(by_department):
        chosen = np.flatnonzero(inside & (department[source] == d))
        target[chosen] = rng.choice(staff, size=len(chosen))
    names = list(SHARES)
    kind = rng.choice(len(names), size=interactions, p=list(SHARES.values()))
    codes = np.array([KINDS.index(n) for n in names])[kind]
    span = WEEKS * 7 * 86400
    at = END.timestamp() - rng.random(interactions) * span
    table = EdgeTable(
        source + 1, target + 1, codes.astype(np.int64), np.ones(interactions), at, KINDS
    )
    return members, table


def measure(label: str, work: Callable[[], T]) -> T:
    """Wall and CPU time, then peak memory in a second run (tracing slows it down). On a
    shared machine the CPU time is what one free core would take."""
    began, cpu = time.perf_counter(), time.process_time()
    result = work()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {seconds:.2f} s ({cpu:.2f} s CPU), peak traced memory {peak / 2**20:.0f} MiB")
    return result


def store(members: list[Member], table: EdgeTable, folder: Path) -> str:
    """The people and edges in a SQLite file with the bot's schema (written directly)."""
    path = folder / "insights.db"
    url = f"sqlite+aiosqlite:///{path}"

    async def schema() -> None:
        from bot.wiring.schema import metadata

        database = Database(make_engine(url))
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata().create_all)
        await database.dispose()

    asyncio.run(schema())
    connection = sqlite3.connect(path)
    stamp = END.isoformat(sep=" ")
    connection.execute(
        "INSERT INTO workspace (id, platform, external_id, name, timezone, settings, created_at) "
        "VALUES (1, 'local', 'W', 'Bench', 'UTC', '{}', ?)",
        (stamp,),
    )
    connection.executemany(
        "INSERT INTO person (id, workspace_id, platform_user_id, display_name, timezone, "
        "department, roles, preferences, is_bot, created_at) "
        "VALUES (?, 1, ?, ?, 'UTC', ?, '[]', '{}', 0, ?)",
        ((m.id, str(m.id), m.name, m.department, stamp) for m in members),
    )
    connection.executemany(
        "INSERT INTO interaction (workspace_id, source_id, target_id, kind, ref, weight, "
        "occurred_at) VALUES (1, ?, ?, ?, ?, 1.0, ?)",
        (
            (s, t, KINDS[k], f"bench:{i}", datetime.fromtimestamp(a, UTC).isoformat(sep=" "))
            for i, (s, t, k, a) in enumerate(
                zip(
                    table.source.tolist(),
                    table.target.tolist(),
                    table.kind.tolist(),
                    table.at.tolist(),
                    strict=True,
                )
            )
        ),
    )
    connection.commit()
    connection.close()
    return url


def from_store(url: str, start: datetime) -> None:
    async def run() -> None:
        database = Database(make_engine(url))
        async with database.session() as session:
            await weekly_insights(session, 1, start, END)
        await database.dispose()

    asyncio.run(run())


def baseline(members: list[Member], table: EdgeTable, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(len(members), size=SAMPLE, replace=False)) + 1
    keep = np.isin(table.source, chosen) & np.isin(table.target, chosen)
    index = np.searchsorted(chosen, table.source[keep]), np.searchsorted(chosen, table.target[keep])
    graph = adjacency(SAMPLE, index[0].astype(np.int64), index[1].astype(np.int64))
    sample = nx.Graph()
    sample.add_nodes_from(range(SAMPLE))
    sample.add_edges_from(zip(*graph.nonzero(), strict=True))
    sample.remove_edges_from(nx.selfloop_edges(sample))
    print(f"sample: {SAMPLE:,} people, {sample.number_of_edges():,} ties")
    began = time.perf_counter()
    exact = nx.betweenness_centrality(sample)
    networkx_seconds = time.perf_counter() - began
    reference = np.array([exact[i] for i in range(SAMPLE)])
    began = time.perf_counter()
    ours = betweenness(graph)
    ours_seconds = time.perf_counter() - began
    began = time.perf_counter()
    sampled = betweenness(graph, samples=256)
    sampled_seconds = time.perf_counter() - began
    top = set(np.argsort(reference)[-50:].tolist())
    print(f"networkx exact betweenness: {networkx_seconds:.1f} s")
    print(
        f"ours exact: {ours_seconds:.2f} s (ratio {networkx_seconds / ours_seconds:.0f}x), "
        f"max difference {np.abs(ours - reference).max():.1e}"
    )
    print(
        f"ours sampled (256 sources): {sampled_seconds:.2f} s "
        f"(ratio {networkx_seconds / sampled_seconds:.0f}x), top-50 overlap with exact "
        f"{len(top & set(np.argsort(sampled)[-50:].tolist()))}/50"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--skip-store", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    members, table = measure("generate", lambda: organisation(args.people, args.interactions))
    everything = END - timedelta(weeks=WEEKS)
    week = END - timedelta(weeks=1)
    whole = measure(
        f"all {args.interactions:,} interactions in one window",
        lambda: compute_insights(table, members, everything, END),
    )
    print(
        f"  {whole.community.ties:,} ties, reciprocity {whole.community.reciprocity:.3f}, "
        f"cross-department share {whole.community.cross_department_share:.3f}, "
        f"{len(whole.isolated):,} isolated"
    )
    weekly = measure("weekly metrics", lambda: compute_insights(table, members, week, END))
    print(f"  {weekly.community.interactions:,} interactions in the week")
    measure("digest-sized summary (top 5 of each)", lambda: weekly.summary(top=5))
    report = measure("fairness (the week)", lambda: compute_fairness(table, members, week, END))
    print(f"  {len(report.rings)} kudos rings")
    if not args.skip_store:
        with tempfile.TemporaryDirectory() as folder:
            began = time.perf_counter()
            url = store(members, table, Path(folder))
            print(f"SQLite file written in {time.perf_counter() - began:.0f} s")
            measure("weekly metrics from SQLite (loader included)", lambda: from_store(url, week))
            measure(
                "all interactions from SQLite (loader included)",
                lambda: from_store(url, everything),
            )
    if not args.skip_baseline:
        baseline(members, table)


if __name__ == "__main__":
    main()

"""Replicas benchmark: what a second `rapport run` replica on one PostgreSQL database adds.

Real `rapport run` processes (tests/replicas/cluster.py starts them, each in a PostgreSQL
schema of its own run) against a fake Slack Web API in this process that counts every post
(tests/replicas/slack_api.py). Two measurements, each with 1 and then 2 replicas:

1. ingest: signed `reaction_added` events (a :tada: kudos each: a person, a kudos row and a
   channel post) at a rising fixed rate (open loop), spread round robin over the replicas as
   a load balancer would, STEP seconds per rate, after a warm-up in which every replica sees
   each person once. Handled work is counted, not acks alone: an event is handled once its
   kudos row is committed, and each step waits for that, then for the outbox to be empty. A
   rate is sustained when every event got 200, the p99 time to the HTTP answer (the ack) is
   under 1 s, and every event was handled at 0.9 of the rate or better (from the first sent
   to the last handled). The rates go on until one is not sustained and handled no faster
   than an earlier one; the figures are the highest rate sustained, the most events a second
   handled, the replicas' CPU an event, and the ratios 2 replicas / 1.
   With --cpu-limit each replica is held to a CPU quota (tests/replicas/cpu_quota.py), as a
   Kubernetes CPU limit holds a pod: on a machine of two cores, a second replica otherwise
   adds a process, not a core.
2. fan-out: one pulse survey to N people (one due-work unit and one DM each), against the
   fake limited to RATE chat.postMessage calls a second (429 with Retry-After beyond). The
   figures: time from the units falling due to the last DM, DMs a second, 429s answered,
   and people who got the survey twice (must be 0). With --kill-at, a third run with 2
   replicas kills the one firing triggers with SIGKILL part-way; the other finishes.

    .venv/bin/python benchmarks/replicas.py --rates 25,50,100,200 --step 8 \\
        --recipients 10000 --fanout-rate 100
    .venv/bin/python benchmarks/replicas.py --skip fanout --cpu-limit 400 \\
        --rates 40,60,80,100,120,140,160,180,200 --step 15

Needs PostgreSQL at TEST_POSTGRES_DSN (default postgresql://127.0.0.1:5432/test).
Results are recorded in benchmarks/README.md.
"""

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.slack_ingest import cpu_seconds
from bot.wiring.config import Settings
from tests.replicas import cpu_quota
from tests.replicas.cluster import (
    Cluster,
    cluster,
    pulse_to_everyone,
    slack_workspace,
    tables_ready,
)

TEAM = "TBENCH"
PEOPLE = 300
# Handling is over when no kudos row has been committed for this long.
IDLE_SECONDS = 10.0


@dataclass
class Step:
    rate: float
    sent: int
    failed: int
    p50: float
    p99: float
    seconds: float
    handled: int = 0
    handled_seconds: float = 0.0
    # CPU seconds the replicas spent from the first event sent to the last one handled.
    cpu: float = 0.0

    @property
    def cpu_ms(self) -> float:
        """The replicas' CPU milliseconds an event handled."""
        return 1000 * self.cpu / max(self.handled, 1)

    @property
    def handled_rate(self) -> float:
        """Events handled (their kudos row committed) a second, from the first event sent to
        the last one handled."""
        return self.handled / self.handled_seconds if self.handled_seconds else 0.0

    @property
    def sustained(self) -> bool:
        """Every event answered 200 and handled, p99 under 1 s, the load really went out at
        the rate (on a busy machine the generator itself can fall behind) and was handled at
        it too, so no backlog grows behind the acks."""
        return (
            self.failed == 0
            and self.p99 < 1.0
            and self.sent / self.seconds >= 0.9 * self.rate
            and self.handled == self.sent
            and self.handled_rate >= 0.9 * self.rate
        )


def reaction(n: int) -> str:
    giver, receiver = n % PEOPLE, (n * 7 + 1) % PEOPLE
    if giver == receiver:
        receiver = (receiver + 1) % PEOPLE
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0RAPPORT",
            "type": "event_callback",
            "event_id": f"EvBENCH{n:09d}",
            "event_time": 1800000000,
            "event": {
                "type": "reaction_added",
                "user": f"U{TEAM}{giver:05d}",
                "reaction": "tada",
                "item_user": f"U{TEAM}{receiver:05d}",
                "item": {"type": "message", "channel": "C0GENERAL", "ts": f"1700000000.{n:06d}"},
                "event_ts": f"1800000000.{n:06d}",
            },
        }
    )


async def kudos_rows(world: Cluster) -> int:
    return int(await world.scalar("SELECT count(*) FROM kudos"))


async def handled_by(world: Cluster, before: int, count: int) -> tuple[int, float]:
    """Wait until `count` more kudos rows are committed, or none come for IDLE_SECONDS; how
    many came, and when (perf_counter) the last of them was seen."""
    handled, last = 0, time.perf_counter()
    while handled < count and time.perf_counter() - last < IDLE_SECONDS:
        await asyncio.sleep(0.1)
        now = await kudos_rows(world) - before
        if now > handled:
            handled, last = now, time.perf_counter()
    return handled, last


async def ingest_step(
    world: Cluster, urls: list[str], rate: float, seconds: float, first: int
) -> Step:
    count = int(rate * seconds)
    before = await kudos_rows(world)
    latencies: list[float] = []
    failed = 0
    targets = itertools.cycle(urls)

    def cpu() -> float:
        return sum(cpu_seconds(replica.process.pid) for replica in world.replicas)

    async def one(n: int, url: str) -> None:
        nonlocal failed
        body = reaction(first + n)
        began = time.perf_counter()
        try:
            async with world.http.post(
                url + "/slack/events", data=body.encode(), headers=world.signed(body)
            ) as response:
                await response.read()
                ok = response.status == 200
        except Exception:
            ok = False
        latencies.append(time.perf_counter() - began)
        failed += not ok

    cpu_before, started = cpu(), time.perf_counter()
    tasks = []
    for n in range(count):
        await asyncio.sleep(max(0.0, started + n / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(one(n, next(targets))))
    # Open loop: the rate is the one the events went out at, whatever the answers took.
    emitted = time.perf_counter() - started + 1 / rate
    await asyncio.gather(*tasks)
    handled, last = await handled_by(world, before, count)
    spent = cpu() - cpu_before
    # Nothing left to send: the next step starts from no backlog.
    await world.settled("", 0)
    ordered = sorted(latencies)
    return Step(
        rate,
        count,
        failed,
        ordered[len(ordered) // 2],
        ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        emitted,
        handled,
        last - started,
        spent,
    )


async def ingest(
    replicas: int, rates: list[float], seconds: float, millicores: int | None
) -> list[Step]:
    # A cgroup can go only once its process has ended, after the cluster is gone.
    quotas: list[cpu_quota.Quota] = []
    try:
        return await _ingest(replicas, rates, seconds, millicores, quotas)
    finally:
        for quota in quotas:
            periods, throttled = quota.throttled()
            print(
                f"  {quota.path.name}: held to {quota.millicores}m, stopped for its quota in "
                f"{throttled} of {periods} periods",
                flush=True,
            )
            quota.remove()


async def _ingest(
    replicas: int,
    rates: list[float],
    seconds: float,
    millicores: int | None,
    quotas: list[cpu_quota.Quota],
) -> list[Step]:
    with tempfile.TemporaryDirectory() as scratch:
        async with cluster(Path(scratch)) as world:
            # The pool as production has it: each event on PostgreSQL holds a connection.
            pool = str(Settings.model_fields["database_pool_size"].default)
            world.settings |= {
                "KUDOS_DAILY_ALLOWANCE": "100",
                "LOG_LEVEL": "WARNING",
                "DATABASE_POOL_SIZE": pool,
            }
            started = [world.start(f"r{n + 1}") for n in range(replicas)]
            if millicores:
                quotas += [
                    cpu_quota.hold(r.process.pid, f"rapport-{r.name}-{r.process.pid}", millicores)
                    for r in started
                ]
            await world.up(*started)
            await tables_ready(world)
            await slack_workspace(world, TEAM, PEOPLE)
            urls = [r.url for r in started]
            # Warm up: every person seen once by each replica (a profile lookup each, kept in
            # the replica's memory), all handled, as in a cluster that has been running.
            for n, url in enumerate(urls):
                await ingest_step(world, [url], PEOPLE / 5, 5, 10**8 + n * PEOPLE)
            steps: list[Step] = []
            first = 0
            for rate in rates:
                step = await ingest_step(world, urls, rate, seconds, first)
                first += step.sent
                steps.append(step)
                print(
                    f"  {replicas} replica(s), {rate:g}/s: p50 {step.p50 * 1000:.0f} ms, "
                    f"p99 {step.p99 * 1000:.0f} ms, {step.failed} failed, "
                    f"sent at {step.sent / step.seconds:.0f}/s, handled {step.handled} "
                    f"at {step.handled_rate:.0f}/s, {step.cpu_ms:.1f} CPU ms an event"
                    f"{'' if step.sustained else ' (not sustained)'}",
                    flush=True,
                )
                if _saturated(steps):
                    break
            return steps


def _saturated(steps: list[Step]) -> bool:
    """A rate not sustained, handled no faster than an earlier one: the replicas are past what
    they can do. The first rate they miss understates it: the further behind they are, the
    bigger their batches, and a bigger batch costs less an event."""
    last, earlier = steps[-1], steps[:-1]
    return (
        not last.sustained
        and bool(earlier)
        and last.handled_rate <= max(s.handled_rate for s in earlier)
    )


@dataclass
class Fanout:
    replicas: int
    delivered: int
    duplicates: int
    limited: int
    seconds: float


async def fanout(replicas: int, recipients: int, rate: float, kill_at: float | None) -> Fanout:
    with tempfile.TemporaryDirectory() as scratch:
        async with cluster(Path(scratch), rate=rate) as world:
            world.settings |= {"LOG_LEVEL": "WARNING", "OUTBOX_LEASE_SECONDS": "60"}
            started = [world.start(f"r{n + 1}") for n in range(replicas)]
            await world.up(*started)
            await tables_ready(world)
            workspace = await slack_workspace(world, TEAM, recipients)
            await pulse_to_everyone(world, workspace, recipients)
            began = time.monotonic()
            prefix = f"DU{TEAM}"
            owner = await world.one_owner()
            while True:
                delivered = sum(world.slack.per_channel(prefix).values())
                if delivered >= recipients:
                    break
                if kill_at is not None and delivered >= kill_at * recipients:
                    world.kill(owner)
                    print(f"  killed {owner.name}, the trigger owner, at {delivered}", flush=True)
                    kill_at = None
                await asyncio.sleep(0.5)
            elapsed = time.monotonic() - began
            await asyncio.sleep(3)  # a duplicate would show by now
            received = world.slack.per_channel(prefix)
            return Fanout(
                replicas,
                len(received),
                sum(n - 1 for n in received.values()),
                world.slack.limited,
                elapsed,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="25,50,100,200,400")
    parser.add_argument("--step", type=float, default=8.0, help="seconds per rate")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--fanout-rate", type=float, default=100.0)
    parser.add_argument("--skip", choices=["ingest", "fanout"], action="append", default=[])
    parser.add_argument(
        "--cpu-limit",
        type=int,
        metavar="MILLICORES",
        help="hold each replica of the ingest runs to this CPU quota, as a Kubernetes CPU "
        "limit would (tests/replicas/cpu_quota.py)",
    )
    parser.add_argument(
        "--kill-at",
        type=float,
        help="with 2 replicas, also SIGKILL the trigger owner once "
        "this share of the fan-out is delivered, in a third run",
    )
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    if "ingest" not in args.skip:
        best, most = {}, {}
        for replicas in (1, 2):
            steps = asyncio.run(ingest(replicas, rates, args.step, args.cpu_limit))
            held = [s.rate for s in steps if s.sustained]
            best[replicas] = max(held, default=0.0)
            most[replicas] = max((s.handled_rate for s in steps), default=0.0)
            print(
                f"ingest, {replicas} replica(s): sustained {best[replicas]:g} events/s "
                f"(acked and handled); at most {most[replicas]:.0f} events/s handled",
                flush=True,
            )
        if most[1]:
            sustained = f"{best[2] / best[1]:.2f}" if best[1] else "- (1 replica sustained none)"
            print(
                f"ingest ratio 2 replicas / 1: most handled {most[2] / most[1]:.2f}, "
                f"sustained {sustained}",
                flush=True,
            )
    if "fanout" not in args.skip:
        runs = [(1, None), (2, None)] + ([(2, args.kill_at)] if args.kill_at else [])
        for replicas, kill_at in runs:
            result = asyncio.run(fanout(replicas, args.recipients, args.fanout_rate, kill_at))
            killed = ", owner killed" if kill_at else ""
            print(
                f"fan-out, {replicas} replica(s){killed}: {result.delivered} people, "
                f"{result.duplicates} duplicates, {result.limited} 429s, "
                f"{result.seconds:.1f} s, {result.delivered / result.seconds:.1f} DMs/s "
                f"(limit {args.fanout_rate:g}/s)",
                flush=True,
            )


if __name__ == "__main__":
    main()

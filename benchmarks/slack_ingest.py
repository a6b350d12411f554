"""Slack ingest benchmark: signed events over HTTP to the bot, and to a bare bolt app.

Three processes on 127.0.0.1: a fake Slack Web API, the server under test, and this load
generator. The server is either

- `bot`: Rapport's real aiohttp app (POST /slack/events, slack-bolt, dispatch to the kudos
  handler, SQLite file, the outbox sending to the fake Web API), or
- `bare`: a slack-bolt AsyncApp on aiohttp that verifies the signature and only acks.

The generator posts a mix of signed slash commands (`/kudos @someone thanks ...`) and
`reaction_added` events at a fixed rate (open loop: a slow server does not slow the load)
and measures each request's time to its HTTP answer, i.e. the ack. It prints events/s,
p50 and p99 ack latency for both servers and the ratio bot / bare, then how much of the
bot's work behind those acks was done by the last ack and how fast the rest drained
(events dispatched, counted in the bot's processed_event table). Since a shared machine's
load moves wall-clock rates more than the code does, it also prints each server's CPU
milliseconds an event (all its threads, from the first request until the last ack for bare
bolt, until the last event handled for the bot), and the events/s that allows a bot with a
core to itself.

With `--split` the bot runs as two processes on the same SQLite files, a front that stores and
acknowledges and a worker that handles (RUN_ROLE, docs/operations/replicas.md); its CPU is
both processes'.

    .venv/bin/python benchmarks/slack_ingest.py --events 2000 --rate 200 [--split]

Results are recorded in benchmarks/README.md.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SCRIPT = str(Path(__file__).resolve())
SECRET = "benchmark-signing-secret"
TEAM = "T0ACME"
CHANNEL = "C0GENERAL"
PEOPLE = [f"U{n:05d}" for n in range(300)]
# Event ids unique to this run: a PostgreSQL database outlives a run, and the bot would take
# a reused id for a retry of an event it has already handled.
RUN = secrets.token_hex(4)
WORK_WAIT_SECONDS = 180
# How often the work behind the acks is counted: the bot's CPU is read when the count is
# reached, and what it spends on the outbox meanwhile is counted with the events.
POLL_SECONDS = 0.2


async def serve_fake() -> None:
    """The Slack Web API the bot calls (users.info, conversations.*, chat.*)."""
    from tests.adapters.slack.fake_slack import FakeSlack

    fake = FakeSlack(channels={"general": CHANNEL, "kudos": "C0KUDOS"})
    fake.member_of |= {CHANNEL, "C0KUDOS"}
    for person in PEOPLE:
        fake.user(person, person.lower())
    for n in range(len(PEOPLE)):
        ts = f"1700000000.{n:06d}"
        fake.history[(CHANNEL, ts)] = {"user": PEOPLE[n], "text": "shipped it", "ts": ts}
    await fake.start()
    print(f"READY {fake.api_url}", flush=True)
    while True:
        await asyncio.sleep(60)
        fake.calls.clear()  # keep memory flat on long runs


async def serve_bot(api_url: str, database_url: str, role: str) -> None:
    from adapters.slack.settings import SECTION as SLACK
    from bot.store import migrate
    from bot.time.clock import RealClock
    from bot.wiring import heap
    from bot.wiring.assembly import assemble
    from bot.wiring.config import Settings
    from bot.wiring.web import make_web_app
    from handlers import build_router

    await migrate.upgrade(database_url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=database_url,
        seed_demo=False,
        log_level="WARNING",
        run_role=role,
    ).with_section(SLACK, bot_token="xoxb-test-token", signing_secret=SECRET, api_base_url=api_url)
    rapport = await assemble(settings, build_router(), RealClock(), None)
    assert rapport.slack is not None
    stop = asyncio.Event()
    sending = asyncio.create_task(rapport.runtime.serve(stop))
    web_app = make_web_app(rapport.bot, rapport.slack)
    heap.settle_after_startup()  # as `rapport run` does
    await rapport.runtime.serving.wait()
    await _serve(web_app)
    stop.set()
    await sending


async def serve_bare(api_url: str) -> None:
    """Bolt with nothing behind it: verify, authorize (one auth.test, as for the bot), ack."""
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token="xoxb-test-token", base_url=api_url)
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.command("/kudos")
    async def command(ack):  # type: ignore[no-untyped-def]
        await ack()

    @app.event("reaction_added")
    async def reaction() -> None:
        return None

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    await _serve(web_app)


async def _serve(app: web.Application) -> None:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"READY http://127.0.0.1:{port}/slack/events", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def _signed(body: str, content_type: str) -> tuple[bytes, dict[str, str]]:
    stamp = str(int(time.time()))
    signature = SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    return body.encode(), headers


def requests(count: int, seed: int) -> list[tuple[bytes, dict[str, str]]]:
    """Half slash commands, half reactions, each from a random person to another."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        giver, receiver = rng.sample(range(len(PEOPLE)), 2)
        if n % 2 == 0:
            form = {
                "token": "legacy",
                "team_id": TEAM,
                "team_domain": "acme",
                "channel_id": CHANNEL,
                "channel_name": "general",
                "user_id": PEOPLE[giver],
                "user_name": PEOPLE[giver].lower(),
                "command": "/kudos",
                "text": f"<@{PEOPLE[receiver]}|x> thanks for the careful review #{n}",
                "api_app_id": "A0RAPPORT",
                "response_url": "http://127.0.0.1:9/unused",
                "trigger_id": f"{n}.{seed}.{RUN}",
            }
            made.append(_signed(urlencode(form), "application/x-www-form-urlencoded"))
        else:
            event = {
                "type": "reaction_added",
                "user": PEOPLE[giver],
                "reaction": "tada",
                "item_user": PEOPLE[receiver],
                "item": {"type": "message", "channel": CHANNEL, "ts": f"1700000000.{receiver:06d}"},
                "event_ts": f"1800000000.{n:06d}",
            }
            envelope = {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A0RAPPORT",
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{RUN}{seed}{n:09d}",
                "event_time": 1800000000,
            }
            made.append(_signed(json.dumps(envelope), "application/json"))
    return made


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, user and system, all its threads (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Work:
    at_last_ack: int
    done: int
    seconds: float
    sent: int

    @property
    def rate(self) -> float:
        return self.done / self.seconds


@dataclass
class Result:
    name: str
    sent: int
    failed: int
    seconds: float
    latencies: list[float]
    work: Work | None = None
    cpu: float = 0.0
    # The bot's CPU until its outbox had nothing left to send, and how long that took.
    cpu_drained: float = 0.0
    # With --split, `cpu` process by process: the front's, then the worker's.
    cpu_by_process: tuple[float, ...] = ()
    drained_seconds: float = 0.0

    @property
    def cpu_ms(self) -> float:
        """CPU milliseconds an event: acked for bare bolt, handled for the bot."""
        events = self.sent if self.work is None else self.work.done
        return 1000 * self.cpu / max(events, 1)

    @property
    def rate(self) -> float:
        return self.sent / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


async def load(name: str, url: str, count: int, rate: float, seed: int) -> Result:
    prepared = requests(count, seed)
    latencies: list[float] = []
    failed = 0
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(body: bytes, headers: dict[str, str]) -> None:
            nonlocal failed
            began = time.perf_counter()
            try:
                async with http.post(url, data=body, headers=headers) as response:
                    await response.read()
                    ok = response.status == 200
            except aiohttp.ClientError:
                ok = False
            latencies.append(time.perf_counter() - began)
            failed += 0 if ok else 1

        start = time.perf_counter()
        tasks = []
        for n, (body, headers) in enumerate(prepared):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(body, headers)))
        await asyncio.gather(*tasks)
        seconds = time.perf_counter() - start
    return Result(name, count, failed, seconds, latencies)


async def _start(*args: str) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, SCRIPT, *args, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    while True:
        line = (await process.stdout.readline()).decode()
        if not line:
            raise RuntimeError(f"{args} exited before it was ready")
        if line.startswith("READY "):
            return process, line.split()[1]


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    await process.wait()


async def run(count: int, rate: float, warmup: int, database_url: str, split: bool) -> list[Result]:
    fake, api_url = await _start("--serve", "fake")
    results = []
    database_url = database_url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'ingest.db'}"
    try:
        for name in ("bare", "bot"):
            args = ("--serve", name, "--api-url", api_url, "--database-url", database_url)
            roles = ["front", "worker"] if split and name == "bot" else ["all"]
            started = [await _start(*args, "--role", role) for role in roles]
            servers, url = [process for process, _ in started], started[0][1]
            try:
                measured = _measure(name, url, servers, count, rate, warmup, database_url)
                results.append(await measured)
            finally:
                for server in servers:
                    await _stop(server)
    finally:
        await _stop(fake)
    return results


async def _measure(
    name: str,
    url: str,
    servers: list[asyncio.subprocess.Process],
    count: int,
    rate: float,
    warmup: int,
    database_url: str,
) -> Result:
    """One server's run after its warm-up; its CPU is that of every process it has."""

    def each() -> list[float]:
        return [cpu_seconds(server.pid) for server in servers]

    def cpu() -> float:
        return sum(each())

    if name == "bare":
        await load(f"{name} warm-up", url, warmup, rate, seed=1)
        cpu_before = cpu()
        result = await load(name, url, count, rate, seed=2)
        result.cpu = cpu() - cpu_before
        return result
    before = await handled(database_url)
    warming = await load(f"{name} warm-up", url, warmup, rate, seed=1)
    await work_behind_acks(database_url, before, warmup, warming)
    before, sent_before = before + warmup, await sent(database_url)
    cpu_before, each_before = cpu(), each()
    result = await load(name, url, count, rate, seed=2)
    result.work = await work_behind_acks(database_url, before, count, result)
    result.cpu = cpu() - cpu_before
    result.cpu_by_process = tuple(now - then for now, then in zip(each(), each_before, strict=True))
    result.drained_seconds = result.work.seconds + await drained(database_url)
    result.cpu_drained = cpu() - cpu_before
    result.work.sent -= sent_before
    return result


async def handled(database_url: str) -> int:
    """Events the bot has dispatched so far: each leaves one processed_event row."""
    return await _count(database_url, "SELECT count(*) FROM processed_event")


async def _count(database_url: str, query: str) -> int:
    from sqlalchemy import text

    from bot.store.db import make_engine

    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(query))).scalar() or 0)
    finally:
        await engine.dispose()


async def work_behind_acks(database_url: str, before: int, count: int, result: Result) -> Work:
    """How much of the run's work was done when its last ack came, and how long the rest took
    (up to WORK_WAIT_SECONDS more): the acks say nothing about the work queued behind them."""
    at_last_ack = await handled(database_url) - before
    began = time.perf_counter()
    done = at_last_ack
    while done < count and time.perf_counter() - began < WORK_WAIT_SECONDS:
        await asyncio.sleep(POLL_SECONDS)
        done = await handled(database_url) - before
    waited = time.perf_counter() - began
    return Work(at_last_ack, done, result.seconds + waited, await sent(database_url))


async def sent(database_url: str) -> int:
    """Messages the outbox has sent so far (announcements, DMs, replies)."""
    return await _count(database_url, "SELECT count(*) FROM outbox_message WHERE status = 'sent'")


async def drained(database_url: str) -> float:
    """Seconds until the outbox has nothing left to send (up to WORK_WAIT_SECONDS): a bot
    that handles events faster by leaving their messages for later has not done the work."""
    query = "SELECT count(*) FROM outbox_message WHERE status IN ('pending', 'sending')"
    began = time.perf_counter()
    waiting = await _count(database_url, query)
    while waiting and time.perf_counter() - began < WORK_WAIT_SECONDS:
        await asyncio.sleep(POLL_SECONDS)
        waiting = await _count(database_url, query)
    return time.perf_counter() - began


def report(results: list[Result], rate: float) -> None:
    print(f"target rate {rate:g} events/s, {os.cpu_count()} cores")
    print("| server | events | failed | events/s | p50 ack ms | p99 ack ms | CPU ms/event |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r.name} | {r.sent} | {r.failed} | {r.rate:.0f} | "
            f"{r.percentile(0.5):.1f} | {r.percentile(0.99):.1f} | {r.cpu_ms:.2f} |"
        )
    bare, bot = results
    print(
        f"bot / bare: p50 {bot.percentile(0.5) / bare.percentile(0.5):.2f}x, "
        f"p99 {bot.percentile(0.99) / bare.percentile(0.99):.2f}x, "
        f"events/s {bot.rate / bare.rate:.2f}x; "
        f"mean {statistics.fmean(bot.latencies) / statistics.fmean(bare.latencies):.2f}x"
    )
    if bot.work is not None:
        work = bot.work
        print(
            f"work behind the acks: {work.at_last_ack} of {bot.sent} events handled by the last "
            f"ack, {work.done} after {work.seconds:.0f} s: {work.rate:.0f} events/s handled; "
            f"{work.sent} of its messages sent by then (warm-up's backlog included)"
        )
        # The bot's event loop is one thread: its CPU is mostly spent one core at a time,
        # and on two cores the load generator and the fake Slack take the other.
        print(
            f"bot CPU: {bot.cpu_ms:.2f} ms an event handled (bare bolt {bare.cpu_ms:.2f} ms an "
            f"ack), {bot.cpu:.1f} s in all: {1000 / bot.cpu_ms:.0f} events/s for a bot "
            "with a core to itself"
        )
        if len(bot.cpu_by_process) > 1:
            front, worker = (1000 * cpu / max(work.done, 1) for cpu in bot.cpu_by_process)
            print(
                f"by process: front {front:.2f} ms, worker {worker:.2f} ms an event handled: "
                f"{1000 / max(front, worker):.0f} events/s with a core for each"
            )
        drained_ms = 1000 * bot.cpu_drained / max(work.done, 1)
        print(
            f"bot CPU until its outbox was drained ({bot.drained_seconds:.0f} s): "
            f"{drained_ms:.2f} ms an event, {bot.cpu_drained:.1f} s in all: "
            f"{1000 / drained_ms:.0f} events/s for a bot with a core to itself"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--database-url", default="", help="the bot's database (default: a new SQLite file)"
    )
    parser.add_argument(
        "--split", action="store_true", help="the bot as a front process and a worker process"
    )
    parser.add_argument("--serve", choices=["fake", "bot", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--role", default="all", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    match args.serve:
        case "fake":
            asyncio.run(serve_fake())
        case "bot":
            asyncio.run(serve_bot(args.api_url, args.database_url, args.role))
        case "bare":
            asyncio.run(serve_bare(args.api_url))
        case _:
            running = run(args.events, args.rate, args.warmup, args.database_url, args.split)
            results = asyncio.run(running)
            report(results, args.rate)


if __name__ == "__main__":
    main()

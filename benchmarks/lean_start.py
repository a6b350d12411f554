"""Lean start benchmark: `rapport run` on the local platform against a bare aiohttp server.

Both run as subprocesses on 127.0.0.1, one after the other, in the same run:

- `bare`: an aiohttp app answering 200 on GET /healthz and GET /readyz, its only routes;
- `rapport`: `rapport run` with no platform credentials (the local platform alone) on a
  SQLite file in a temporary directory, migrated beforehand as `make run` does.

For each, over a few repetitions: the time from starting the process to the first 200 from
/healthz (rapport: alive, the database and the intake open, the features still loading),
the time to the first 200 from /readyz (rapport: everything loaded and serving; the bare
server answers it as soon as /healthz), and its resident memory (VmRSS in
/proc/<pid>/status) once it has been idle for a few seconds (the scheduler and the outbox
have polled by then). Then the wall time of `rapport --help`. Medians are printed, with the
ratios rapport / bare.

Both start from compiled bytecode, as an installed package does (pip compiles it; the image
in deploy/ too): the processes write theirs to a scratch cache (PYTHONPYCACHEPREFIX), even
where PYTHONDONTWRITEBYTECODE is set, and one round before the measured ones fills it.

    .venv/bin/python -m benchmarks.lean_start --repeat 5 --idle 5

Results are recorded in benchmarks/README.md.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = """
from aiohttp import web

async def healthz(request):
    return web.json_response({"status": "ok"})

app = web.Application()
app.router.add_get("/healthz", healthz)
app.router.add_get("/readyz", healthz)
web.run_app(app, host="127.0.0.1", port=PORT, print=None)
"""
SAFETY_SECONDS = 300.0


@dataclass
class Start:
    healthy_seconds: float
    ready_seconds: float
    rss_mib: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(**settings: str) -> dict[str, str]:
    """This environment minus every Rapport setting (no credentials) and the switch that
    keeps Python from writing bytecode, plus the given ones."""
    from bot.wiring.features import build_router
    from bot.wiring.settings_check import env_names

    ours = env_names(build_router().sections.values()) | {"PYTHONDONTWRITEBYTECODE"}
    env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    path = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return {**env, "PYTHONPATH": path, "LOG_LEVEL": "WARNING", **settings}


def answers(port: int, path: str) -> bool:
    """Whether GET `path` answers 200."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start(command: list[str], port: int, env: dict[str, str], cwd: Path, idle: float) -> Start:
    began = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        healthy = _until(process, port, "/healthz", began) - began
        ready = _until(process, port, "/readyz", began) - began
        time.sleep(idle)
        return Start(healthy, ready, rss_mib(process.pid))
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=SAFETY_SECONDS)


def _until(process: subprocess.Popen[bytes], port: int, path: str, began: float) -> float:
    """When `path` first answered 200."""
    while not answers(port, path):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} ended: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        if time.perf_counter() - began > SAFETY_SECONDS:
            raise RuntimeError(f"{process.args}: {path} not 200 after {SAFETY_SECONDS:.0f} s")
        time.sleep(0.01)
    return time.perf_counter()


def help_seconds(env: dict[str, str], cwd: Path) -> float:
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.wiring.console_script", "--help"],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        timeout=SAFETY_SECONDS,
    )
    return time.perf_counter() - began


def median_start(starts: list[Start]) -> Start:
    return Start(
        statistics.median(s.healthy_seconds for s in starts),
        statistics.median(s.ready_seconds for s in starts),
        statistics.median(s.rss_mib for s in starts),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds idle before RSS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        where = Path(scratch)
        url = f"sqlite+aiosqlite:///{where}/lean.db"
        env = environment(
            DATABASE_URL=url, HTTP_HOST="127.0.0.1", PYTHONPYCACHEPREFIX=f"{where}/bytecode"
        )
        subprocess.run(
            [sys.executable, "-m", "bot.wiring.console_script", "migrate"],
            cwd=where,
            env=env,
            check=True,
        )
        bare: list[Start] = []
        rapport: list[Start] = []
        for _ in range(args.repeat + 1):
            # Interleaved, so that a busy moment of the machine falls on both alike.
            port = free_port()
            script = BARE.replace("PORT", str(port))
            bare.append(start([sys.executable, "-c", script], port, env, where, args.idle))
            port = free_port()
            command = [sys.executable, "-m", "bot.wiring.console_script", "run"]
            served = {**env, "HTTP_PORT": str(port)}
            rapport.append(start(command, port, served, where, args.idle))
        help_seconds(env, where)
        helps = [help_seconds(env, where) for _ in range(args.repeat)]
    # The first round compiled the bytecode: it is not counted.
    bare, rapport = bare[1:], rapport[1:]
    b, r = median_start(bare), median_start(rapport)
    print(f"repetitions: {args.repeat}, idle {args.idle:.0f} s before reading VmRSS (medians)")
    print(
        f"bare aiohttp: healthy in {b.healthy_seconds:.2f} s, ready in {b.ready_seconds:.2f} s, "
        f"idle RSS {b.rss_mib:.1f} MiB"
    )
    print(
        f"rapport run:  healthy in {r.healthy_seconds:.2f} s "
        f"({r.healthy_seconds / b.healthy_seconds:.2f}x bare), "
        f"ready in {r.ready_seconds:.2f} s ({r.ready_seconds / b.ready_seconds:.2f}x bare), "
        f"idle RSS {r.rss_mib:.1f} MiB ({r.rss_mib / b.rss_mib:.2f}x bare)"
    )
    print(
        f"rapport --help: {statistics.median(helps):.2f} s "
        f"(fastest {min(helps):.2f} s, slowest {max(helps):.2f} s)"
    )


if __name__ == "__main__":
    main()

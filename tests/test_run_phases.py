"""`rapport run` answers its probes while the features load behind them, and a load that fails
stops it as a failed start always did (bot/wiring/serve.py).

Each test runs the command for real in a subprocess. To look at the loading phase without
racing it, a wrapper holds the load (which runs in a thread) until the test creates a file.
"""

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import clean_env, free_port, healthz, printed, rapport, ready, stop
from tests.waiting import SAFETY, wait_until

HELD = """
import os, sys, threading
import bot.wiring.serve

loading = bot.wiring.serve._import

def held(*load):
    while not os.path.exists(sys.argv[1]):
        threading.Event().wait(0.01)
    return loading(*load)

bot.wiring.serve._import = held
from bot.wiring.cli import app
app(["run"])
"""
SCIM_TOKEN = "scim-token"


def alive(process: subprocess.Popen[bytes], output: Path) -> bool:
    """True while the process runs; a process that ended fails the test with its output."""
    assert process.poll() is None, output.read_text()
    return True


def answer(port: int, path: str, method: str = "GET", accept: str = "*/*") -> tuple[int, str, str]:
    """Status, body and Retry-After of one request."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=b"{}" if method == "POST" else None,
        headers={"Accept": accept, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=SAFETY) as response:
            return response.status, response.read().decode(), response.headers["Retry-After"]
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(), refused.headers["Retry-After"]


@pytest.fixture
def held_run(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path, Path]]:
    """`rapport run` with Slack and SCIM configured, its load held until `gate` exists."""
    port = free_port()
    gate = tmp_path / "go"
    output = tmp_path / "run.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", HELD, str(gate)],
            cwd=tmp_path,
            env=clean_env(
                DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/run.db",
                HTTP_PORT=str(port),
                SLACK_BOT_TOKEN="xoxb-1",
                SLACK_SIGNING_SECRET="signing-secret",
                SLACK_API_BASE_URL="http://127.0.0.1:9/api/",
                SCIM_TOKEN=SCIM_TOKEN,
            ),
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process, port, gate, output
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_while_loading_it_is_healthy_not_ready_and_asks_callers_to_come_back(
    held_run: tuple[subprocess.Popen[bytes], int, Path, Path],
) -> None:
    process, port, gate, output = held_run
    wait_until(lambda: alive(process, output) and healthz(port) is not None, "/healthz")
    status, body = healthz(port) or (0, {})
    assert (status, body["status"], body["features"]) == (200, "ok", "loading")
    assert "platforms" not in body  # not known before the platforms load
    status, body = healthz(port, "/readyz") or (0, {})
    assert (status, body["status"], body["features"]) == (503, "loading", "loading")
    # Slack delivers an event again after a failure; the others are told when to retry.
    slack = answer(port, "/slack/events", "POST")
    assert slack[0] == 503 and slack[2] == "5" and "starting" in json.loads(slack[1])["error"]
    scim = answer(port, "/scim/v2/Users", accept="application/scim+json")
    assert scim[0] == 503 and json.loads(scim[1])["status"] == "503"
    page = answer(port, "/dashboard", accept="text/html")
    assert page[0] == 503 and page[1].startswith("Rapport is starting")
    assert answer(port, "/metrics")[0] == 503
    # A console line typed now waits for the load.
    assert process.stdin is not None
    process.stdin.write(b"ann in #general: /kudos @bob thanks for waiting\n")
    process.stdin.flush()

    gate.touch()
    wait_until(lambda: alive(process, output) and ready(port), "/readyz")
    status, body = healthz(port, "/readyz") or (0, {})
    assert (status, body["status"], body["platforms"]) == (200, "ready", ["local", "slack"])
    status, body = healthz(port) or (0, {})
    assert (status, body["features"], body["platforms"]) == (200, "ready", ["local", "slack"])
    printed(process, output, "gave kudos to @bob: thanks for waiting")
    printed(process, output, "You can undo for 5 minutes.")  # the line's last answer
    # Now the routes are the features' and the platforms': their own checks answer.
    assert answer(port, "/slack/events", "POST")[0] == 401  # unsigned
    assert answer(port, "/scim/v2/Users")[0] == 401  # no token: SCIM's middleware ran
    assert answer(port, "/nowhere")[0] == 404
    text = stop(process, signal.SIGTERM, output)
    assert text.index(" is starting: ") < text.index(" is running: ")


def test_a_setting_that_does_not_fit_stops_the_run_once_the_features_load(
    tmp_path: Path,
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path}/run.db"
    # Migrated beforehand: a new database has every setting checked before it is written.
    assert _run_to_the_end(tmp_path, rapport("migrate"), DATABASE_URL=database).returncode == 0
    done = _run_to_the_end(
        tmp_path, rapport("run"), DATABASE_URL=database, QA_ANSWER_WORKING_DAYS="90"
    )
    assert done.returncode == 2
    assert " is starting: " in done.stdout  # the port was open: the features' check came after
    assert "configuration error: QA_ANSWER_WORKING_DAYS=90: it must be" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_feature_that_does_not_import_stops_the_run(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path}/run.db"
    assert _run_to_the_end(tmp_path, rapport("migrate"), DATABASE_URL=database).returncode == 0
    broken = (
        "import sys; sys.modules['handlers.kudos'] = None\n"
        "from bot.wiring.console_script import main; main()"
    )
    done = _run_to_the_end(tmp_path, [sys.executable, "-c", broken, "run"], DATABASE_URL=database)
    assert done.returncode == 1
    assert "handlers.kudos" in done.stderr
    assert " is running: " not in done.stdout


def _run_to_the_end(
    cwd: Path, command: list[str], **settings: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=clean_env(HTTP_PORT=str(free_port()), **settings),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )

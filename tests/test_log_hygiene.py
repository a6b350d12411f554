"""The logs of a real `rapport run` hold no secret and no person's text (docs/threat-model.md).

Attacked as someone who reads the logs would: a Slack request with a bad signature carrying a
person's words and ids, a dashboard sign-in with its one-time token, and a migrate whose
database URL has a password; then every line written is searched for those.
"""

import asyncio
import http.client
import json
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.store.db import Database
from tests.conftest import PG_DSN, _require_postgres
from tests.test_cli import clean_env, free_port, rapport, ready

# A safety net against a process that never comes up, not a speed budget.
NEVER = 600.0
WORDS = "purple-elephant-whispers"
USER_ID = "U0LOGSECRET"
BOT_TOKEN = "xoxb-log-hygiene-token"
SIGNING_SECRET = "log-hygiene-signing-secret"


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + NEVER
    while not check():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.05)


Running = tuple[subprocess.Popen[bytes], int, Path, Path]


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    yield from _run(tmp_path)


@pytest.fixture
def running_json(tmp_path: Path) -> Iterator[Running]:
    yield from _run(tmp_path, LOG_FORMAT="json", REPLICA_ID="json-1")


def _run(tmp_path: Path, **more: str) -> Iterator[Running]:
    port = free_port()
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    files: list[IO[bytes]] = [out.open("wb"), err.open("wb")]
    process = subprocess.Popen(
        rapport("run"),
        cwd=tmp_path,
        env=clean_env(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/run.db",
            HTTP_PORT=str(port),
            LOG_LEVEL="DEBUG",
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_BASE_URL="http://127.0.0.1:9/api/",
            **more,
        ),
        stdin=subprocess.PIPE,
        stdout=files[0],
        stderr=files[1],
    )
    try:
        yield process, port, out, err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for file in files:
            file.close()


def post(port: int, path: str, body: bytes, headers: dict[str, str]) -> int:
    """The status of one POST, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=NEVER)
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def badly_signed_event(port: int) -> int:
    # Well formed, so that it reaches bolt's own signature check (and its logging).
    event = {"type": "message", "user": USER_ID, "text": WORDS, "channel": "C0LOG", "ts": "1.2"}
    body = json.dumps(
        {"type": "event_callback", "team_id": "T0LOG", "event_id": "Ev0LOG", "event": event}
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(int(time.time())),
        "X-Slack-Signature": "v0=" + "0" * 64,
    }
    return post(port, "/slack/events", body, headers)


def dashboard_sign_in(process: subprocess.Popen[bytes], port: int, out: Path) -> str:
    assert process.stdin is not None
    process.stdin.write(b"ann dm: /rapport dashboard\n")
    process.stdin.flush()
    marker = "/dashboard/login/"
    eventually(lambda: marker in out.read_text(), "the dashboard link in the console")
    token = out.read_text().split(marker, 1)[1].split()[0]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{marker}{token}", timeout=NEVER):
        pass
    assert post(port, marker + token, b"", {}) == 303  # signed in
    return token


def test_a_run_logs_no_request_body_token_or_secret(running: Running) -> None:
    process, port, out, err = running
    eventually(lambda: process.poll() is None and ready(port), "/readyz")
    assert badly_signed_event(port) == 401
    token = dashboard_sign_in(process, port, out)
    process.terminate()
    process.wait(timeout=NEVER)
    logs = err.read_text()
    assert "Invalid request signature detected" in logs  # the refusal itself is logged
    assert "/dashboard/login/{token}" in logs  # and the sign-in, by its route
    for secret in (WORDS, USER_ID, token, BOT_TOKEN, SIGNING_SECRET):
        assert secret not in logs


def test_a_json_run_writes_one_object_a_line_and_no_secret(running_json: Running) -> None:
    process, port, out, err = running_json
    eventually(lambda: process.poll() is None and ready(port), "/readyz")
    assert badly_signed_event(port) == 401
    process.terminate()
    process.wait(timeout=NEVER)
    written = out.read_text() + err.read_text()
    lines = [json.loads(line) for line in written.splitlines()]  # every line is one object
    assert all(line["replica"] == "json-1" for line in lines)
    assert all(line["time"].endswith("Z") and line["level"] and line["logger"] for line in lines)
    messages = [line["message"] for line in lines]
    assert any("Invalid request signature detected" in message for message in messages)
    assert any("is running" in message for message in messages)
    for secret in (WORDS, USER_ID, BOT_TOKEN, SIGNING_SECRET):
        assert secret not in written


async def _scratch_database(name: str, *, drop: bool) -> None:
    admin = await asyncpg.connect(PG_DSN)
    try:
        await admin.execute(
            f'DROP DATABASE IF EXISTS "{name}"' if drop else f'CREATE DATABASE "{name}"'
        )
    finally:
        await admin.close()


def test_migrate_prints_the_database_url_without_its_password(tmp_path: Path) -> None:
    _require_postgres()
    name = f"rapport_logs_{uuid.uuid4().hex[:8]}"
    password = "hunter2-" + uuid.uuid4().hex
    host = PG_DSN.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    asyncio.run(_scratch_database(name, drop=False))
    try:
        done = subprocess.run(
            rapport("migrate"),
            cwd=tmp_path,
            env=clean_env(DATABASE_URL=f"postgresql://postgres:{password}@{host}/{name}"),
            capture_output=True,
            text=True,
            timeout=NEVER,
        )
    finally:
        asyncio.run(_scratch_database(name, drop=True))
    assert done.returncode == 0, done.stderr
    assert f"postgres:***@{host}/{name} is up to date" in done.stdout
    assert password not in done.stdout + done.stderr


async def test_a_failed_statement_keeps_its_values_out_of_the_error(db: Database) -> None:
    # A failing statement's error is logged whole (a pass that failed, a console line): the
    # values bound to it are people's words and ids.
    with pytest.raises(DBAPIError) as failure:
        async with db.engine.begin() as connection:
            await connection.execute(text("INSERT INTO no_such_table VALUES (:w)"), {"w": WORDS})
    assert "no_such_table" in str(failure.value)
    assert WORDS not in str(failure.value)

"""The `rapport` console script, run as a real subprocess in an empty directory."""

import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from importlib.metadata import version as installed_version
from pathlib import Path
from types import SimpleNamespace
from typing import IO

import pytest
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet

from bot.contract.feature import CommandLine
from bot.store.migrate import alembic_config
from bot.store.secrets_at_rest import MARKER
from bot.wiring import serve as serving
from bot.wiring.config import Settings
from bot.wiring.features import build_router
from bot.wiring.settings_check import env_names
from handlers import COMMAND_GROUPS
from tests.waiting import SAFETY, wait_until

TRANSCRIPT = """\
# a comment, then a blank line

ann in #general: /kudos @bob thanks for the great demo
this line is not transcript syntax
bob reacts :tada: to m99
ann in #general: nice work everyone :tada:
"""


def clean_env(**settings: str) -> dict[str, str]:
    """The caller's environment minus any Rapport setting, plus the given ones."""
    ours = env_names(build_router().sections.values())
    env = {k: v for k, v in os.environ.items() if k.upper() not in ours}
    return {**env, "PYTHONUNBUFFERED": "1", **settings}


def rapport(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.wiring.console_script", *args]


def run_rapport(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`rapport ARGS` to its end, in `cwd`, with only the given settings."""
    return subprocess.run(
        rapport(*args),
        cwd=cwd,
        env=clean_env(**settings),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def healthz(port: int, probe: str = "/healthz") -> tuple[int, dict[str, object]] | None:
    """The probe's status and body; None while nothing listens."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{probe}", timeout=SAFETY) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())
    except OSError:
        return None


def ready(port: int) -> bool:
    """Whether `rapport run` on `port` has loaded everything and serves (/readyz 200)."""
    answer = healthz(port, "/readyz")
    return answer is not None and answer[0] == 200


# rapport shell


@pytest.fixture(scope="module")
def shell_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One shell session over TRANSCRIPT, shared by the tests below (start-up is slow)."""
    where = tmp_path_factory.mktemp("shell")
    script = where / "demo.txt"
    script.write_text(TRANSCRIPT)
    return run_rapport(where, "shell", str(script), "--start", "2027-01-04T09:00")


def test_shell_prints_the_kudos_announcement(
    shell_run: subprocess.CompletedProcess[str],
) -> None:
    assert shell_run.returncode == 0, shell_run.stderr
    lines = shell_run.stdout.splitlines()
    assert "> ann in #general: /kudos @bob thanks for the great demo" in lines
    assert "[#kudos] (m1) 🎉 @ann gave kudos to @bob: thanks for the great demo" in lines
    assert any(line.startswith("[dm @bob]") and "from @ann" in line for line in lines)


def test_shell_echoes_lines_as_typed(shell_run: subprocess.CompletedProcess[str]) -> None:
    echoed = [line for line in shell_run.stdout.splitlines() if line.startswith("> ")]
    typed = [line for line in TRANSCRIPT.splitlines() if line.strip()]
    assert echoed == [f"> {line}" for line in typed]
    # :tada: is transcript syntax, not an emoji shortcode for the console to render.
    assert any(
        line.endswith("ann: nice work everyone :tada:") for line in shell_run.stdout.splitlines()
    )


def test_shell_explains_bad_lines_and_carries_on(
    shell_run: subprocess.CompletedProcess[str],
) -> None:
    lines = shell_run.stdout.splitlines()
    bad = lines.index("> this line is not transcript syntax")
    assert lines[bad + 1].startswith("[shell] I don't understand 'this line is not transcript")
    assert "'ann dm: help'" in lines[bad + 1]
    assert "[shell] there is no message m99" in lines
    assert lines[-1].endswith("ann: nice work everyone :tada:")  # the line after still ran
    assert "Traceback" not in shell_run.stdout + shell_run.stderr


def test_shell_runs_commands_on_its_database_and_shows_their_failures(tmp_path: Path) -> None:
    script = tmp_path / "import.txt"
    (tmp_path / "good.csv").write_text("left from an earlier session\n")
    script.write_text(
        "file bad.csv: user,department,timezone\n"
        "file bad.csv: bob,Platform,Mars/Olympus\n"
        "$ rapport people import bad.csv\n"
        "file good.csv: user,department\n"
        "file good.csv: bob,Platform\n"
        "$ rapport people import good.csv\n"
        "ann dm: /rapport people show @bob\n"
    )
    done = run_rapport(tmp_path, "shell", str(script), "--start", "2027-01-04T09:00")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    failed = lines.index("> $ rapport people import bad.csv")
    assert lines[failed + 1].startswith("bad.csv: line 2: timezone 'Mars/Olympus'")
    assert lines[failed + 2 : failed + 4] == ["nothing was imported", "[shell] exit code 1"]
    # The session's first line of good.csv started it afresh: one good row.
    assert (tmp_path / "good.csv").read_text() == "user,department\nbob,Platform\n"
    assert "imported into Demo Co: 0 new, 1 updated, 0 unchanged" in lines
    assert "department: Platform — from HR file" in lines


# rapport --help


def test_help_lists_every_feature_group_as_the_group_itself_says() -> None:
    line = CommandLine(settings=Settings, say=print)
    groups = {
        feature.name: feature.commands(line).info.help
        for feature in build_router().features
        if feature.commands is not None
    }
    assert groups == COMMAND_GROUPS


def test_a_feature_group_runs_from_the_command_line(tmp_path: Path) -> None:
    done = run_rapport(tmp_path, "pulse", "--help")
    assert done.returncode == 0, done.stderr
    assert "Create a pulse survey from a YAML file" in done.stdout
    unknown = run_rapport(tmp_path, "pulse", "nonsense")
    assert unknown.returncode == 2
    assert "No such command 'nonsense'" in unknown.stderr


# rapport --version


def test_version_prints_the_installed_version(tmp_path: Path) -> None:
    done = run_rapport(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"rapport {installed_version('rapport')}\n"


def test_run_names_the_extra_to_install_when_a_platform_sdk_is_missing(tmp_path: Path) -> None:
    # As if installed without the slack extra: the SDK cannot be imported.
    code = (
        "import sys; sys.modules['slack_bolt'] = None\n"
        "from bot.wiring.console_script import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "run"],
        cwd=tmp_path,
        env=clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path}/run.db",
            HTTP_PORT=str(free_port()),
            SLACK_BOT_TOKEN="xoxb-1",
            SLACK_SIGNING_SECRET="signing-secret",
        ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )
    assert done.returncode == 2, done.stderr
    assert "slack credentials are set, but its SDK is not installed" in done.stderr
    assert 'pip install "rapport[slack]"' in done.stderr
    assert "Traceback" not in done.stderr


# rapport migrate


def test_migrate_creates_the_tables(tmp_path: Path) -> None:
    database = tmp_path / "fresh.db"
    done = run_rapport(tmp_path, "migrate", DATABASE_URL=f"sqlite:///{database}")
    assert done.returncode == 0, done.stderr
    assert "is up to date" in done.stdout
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"workspace", "person", "kudos", "processed_event", "outbox_message"} <= tables
    assert {"schedule", "due_work", "company_value", "alembic_version"} <= tables
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert version == [(head,)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["fresh.db"]


@pytest.mark.parametrize(
    ("command", "setting", "allowed"),
    [
        (["migrate"], "KUDOS_UNDO_MINUTES=120", "a whole number from 0 to 60"),
        (["shell"], "IDEAS_VOTE_HALF_LIFE_DAYS=400", "a number more than 0 and at most 365"),
        (["run"], "QA_ANSWER_WORKING_DAYS=90", "a number more than 0 and at most 60"),
        (["run"], "PULSE_WORKING_HOURS=17:00-09:00", "working hours like 09:00-17:00"),
        (["run"], "PULSE_WORKING_HOURS=soon", "working hours like 09:00-17:00"),
    ],
)
def test_a_setting_out_of_its_bounds_stops_the_command_at_start(
    tmp_path: Path, command: list[str], setting: str, allowed: str
) -> None:
    name, _, value = setting.partition("=")
    database = tmp_path / "never.db"
    done = run_rapport(tmp_path, *command, DATABASE_URL=f"sqlite:///{database}", **{name: value})
    assert done.returncode == 2
    assert f"configuration error: {setting}: it must be {allowed}" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not database.exists()


@pytest.mark.parametrize("days", ["[0, 2]", "[2, 90]", "[1, 2, 3, 4, 5, 6]"])
def test_reminder_days_outside_a_run_stop_the_command_at_start(tmp_path: Path, days: str) -> None:
    done = run_rapport(
        tmp_path, "migrate", DATABASE_URL=f"sqlite:///{tmp_path}/never.db", PULSE_REMINDER_DAYS=days
    )
    assert done.returncode == 2
    assert f"configuration error: PULSE_REMINDER_DAYS={days}: " in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_setting_out_of_its_bounds_in_dot_env_stops_the_command_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# kept by an admin\nKUDOS_UNDO_MINUTES=120\n")
    done = run_rapport(tmp_path, "migrate", DATABASE_URL=f"sqlite:///{tmp_path}/never.db")
    assert done.returncode == 2
    assert "configuration error: KUDOS_UNDO_MINUTES=120: " in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_seed_demo_fills_an_empty_database_once(tmp_path: Path) -> None:
    def run(*args: str) -> str:
        done = run_rapport(tmp_path, *args, DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("migrate")
    assert "demo workspace seeded" in run("seed-demo")
    assert "database not empty: nothing seeded" in run("seed-demo")
    with sqlite3.connect(tmp_path / "demo.db") as connection:
        people = connection.execute("SELECT platform_user_id FROM person").fetchall()
    assert ("ann",) in people and ("cara",) in people


# rapport secrets reseal

INSTALL = (
    "INSERT INTO installation (platform, enterprise_id, external_id, name, app_id, bot_token, "
    "bot_id, bot_user_id, scopes, installer_id, installed_at) "
    "VALUES ('slack', '', ?, '', '', ?, '', '', '', 'U0ALI', '2027-01-04 09:00:00')"
)


def test_secrets_reseal_seals_plaintext_tokens_then_moves_them_to_a_new_key(
    tmp_path: Path,
) -> None:
    database = tmp_path / "tokens.db"
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()

    def reseal(*args: str, keys: str) -> str:
        done = run_rapport(
            tmp_path, *args, DATABASE_URL=f"sqlite:///{database}", TOKEN_ENCRYPTION_KEYS=keys
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def tokens() -> list[str]:
        with sqlite3.connect(database) as connection:
            rows = connection.execute("SELECT bot_token FROM installation ORDER BY external_id")
            return [row[0] for row in rows]

    reseal("migrate", keys="")
    with sqlite3.connect(database) as connection:
        connection.executemany(INSTALL, [("T0ALPHA", "xoxb-alpha"), ("T0BETA", "xoxb-beta")])

    assert reseal("secrets", "reseal", keys=old) == "resealed 2 of 2 stored tokens"
    sealed = tokens()
    assert all(token.startswith(MARKER) and "xoxb" not in token for token in sealed)
    assert reseal("secrets", "reseal", keys=old) == "resealed 0 of 2 stored tokens"
    assert tokens() == sealed

    assert reseal("secrets", "reseal", keys=f"{new},{old}") == "resealed 2 of 2 stored tokens"
    only_new = Fernet(new)
    opened = [only_new.decrypt(token.removeprefix(MARKER)).decode() for token in tokens()]
    assert opened == ["xoxb-alpha", "xoxb-beta"]
    assert reseal("secrets", "reseal", keys=new) == "resealed 0 of 2 stored tokens"


@pytest.mark.parametrize(
    ("keys", "code", "said"),
    [
        ("", 1, "TOKEN_ENCRYPTION_KEYS is empty"),
        ("not-a-fernet-key", 2, "configuration error: TOKEN_ENCRYPTION_KEYS: key 1 is not"),
    ],
)
def test_secrets_reseal_refuses_without_a_usable_key(
    tmp_path: Path, keys: str, code: int, said: str
) -> None:
    database = f"sqlite:///{tmp_path}/none.db"
    done = run_rapport(
        tmp_path, "secrets", "reseal", DATABASE_URL=database, TOKEN_ENCRYPTION_KEYS=keys
    )
    assert done.returncode == code
    assert said in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "not-a-fernet-key" not in done.stdout + done.stderr
    assert not (tmp_path / "none.db").exists()


# rapport run


@pytest.fixture
def serve(
    tmp_path: Path,
) -> Iterator[Callable[..., tuple[subprocess.Popen[bytes], int, Path]]]:
    """Start `rapport run` on a free port; the process is killed if a test leaves it up."""
    started: list[subprocess.Popen[bytes]] = []
    logs: list[IO[bytes]] = []

    def start(**settings: str) -> tuple[subprocess.Popen[bytes], int, Path]:
        port = free_port()
        output = tmp_path / "run.log"
        log = output.open("wb")
        logs.append(log)
        process = subprocess.Popen(
            rapport("run"),
            cwd=tmp_path,
            env=clean_env(
                DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/run.db",
                HTTP_PORT=str(port),
                **settings,
            ),
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process, port, output

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()
    for log in logs:
        log.close()


def printed(process: subprocess.Popen[bytes], output: Path, wanted: str) -> None:
    """Wait until the process has printed `wanted`; fail at once if it ends without it."""

    def seen() -> bool:
        ended = process.poll() is not None
        text = output.read_text()
        assert wanted in text or not ended, f"ended before printing {wanted!r}:\n{text}"
        return wanted in text

    wait_until(seen, repr(wanted))


def served(port: int, process: subprocess.Popen[bytes], output: Path) -> dict[str, object]:
    # Printed once everything has loaded and serves (/readyz answers 200).
    printed(process, output, " is running: http://")
    answer = healthz(port)
    assert answer is not None
    status, body = answer
    assert status == 200
    return body


def stop(process: subprocess.Popen[bytes], how: signal.Signals, output: Path) -> str:
    process.send_signal(how)
    try:
        process.wait(timeout=SAFETY)
    except subprocess.TimeoutExpired:
        raise AssertionError("rapport run did not stop:\n" + output.read_text()) from None
    text = output.read_text()
    assert process.returncode == 0, text
    assert "bye" in text.splitlines()
    assert "Traceback" not in text
    return text


def test_run_serves_healthz_and_keeps_serving_after_stdin_closes(
    serve: Callable[[], tuple[subprocess.Popen[bytes], int, Path]],
) -> None:
    process, port, output = serve()
    assert process.stdin is not None
    process.stdin.write(b"ann in #general: /kudos @bob thanks for the great demo\n")
    process.stdin.close()  # EOF: the console ends, the server must not
    printed(process, output, "[#kudos]")
    body = served(port, process, output)
    assert body["status"] == "ok"
    assert body["database"] == "sqlite"
    assert body["platforms"] == ["local"]
    assert body["version"] == installed_version("rapport")
    assert process.poll() is None
    text = stop(process, signal.SIGTERM, output)
    assert "🎉 @ann gave kudos to @bob: thanks for the great demo" in text


def test_run_stops_on_ctrl_c_while_the_console_waits_for_input(
    serve: Callable[[], tuple[subprocess.Popen[bytes], int, Path]],
) -> None:
    process, port, output = serve()
    assert served(port, process, output)["status"] == "ok"
    # stdin stays open, like a terminal nobody typed into.
    stop(process, signal.SIGINT, output)
    assert healthz(port) is None


def test_run_warns_once_that_oauth_tokens_are_stored_unencrypted_without_keys(
    serve: Callable[..., tuple[subprocess.Popen[bytes], int, Path]],
) -> None:
    process, port, output = serve(
        SLACK_CLIENT_ID="1111.2222",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_SIGNING_SECRET="signing-secret",
        SLACK_API_BASE_URL="http://127.0.0.1:9/api/",
    )
    assert served(port, process, output)["platforms"] == ["local", "slack"]
    text = stop(process, signal.SIGTERM, output)
    assert text.count("TOKEN_ENCRYPTION_KEYS") == 1
    # The log handler wraps long lines: compare with the whitespace folded.
    assert "OAuth installs are stored unencrypted" in " ".join(text.split())


def test_run_stops_at_start_up_on_a_bad_encryption_key(
    serve: Callable[..., tuple[subprocess.Popen[bytes], int, Path]],
) -> None:
    process, _port, output = serve(TOKEN_ENCRYPTION_KEYS="not-a-fernet-key")
    assert process.wait(timeout=SAFETY) == 2
    text = output.read_text()
    assert "configuration error: TOKEN_ENCRYPTION_KEYS: key 1 is not a valid key" in text
    assert "Fernet.generate_key()" in text
    assert "not-a-fernet-key" not in text
    assert "Traceback" not in text


async def test_a_console_line_that_fails_leaves_the_console_reading(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []

    async def execute(line: str) -> list[str]:
        ran.append(line)
        if line.startswith("first"):
            raise OSError("database is locked")
        return []

    monkeypatch.setattr(sys, "stdin", io.StringIO("first\nsecond\n"))
    assembly = SimpleNamespace(shell=SimpleNamespace(execute=execute))
    await serving._console(assembly)  # type: ignore[arg-type]
    assert ran == ["first\n", "second\n"]
    assert "a console line failed" in caplog.text

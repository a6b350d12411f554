"""`rapport run` with only the local platform loads no platform SDK, chart or maths library;
`rapport --help` loads no feature, adapter, store or web server either.

The command runs for real in a subprocess (SQLite in a temporary directory, no credentials).
A thread in that process waits until /healthz answers, writes down which of the heavy
packages are in sys.modules at that moment, and stops the bot the way `docker stop` does.
"""

import json
import subprocess
import sys
from pathlib import Path

from bot.store import migrate
from tests.test_cli import clean_env, free_port
from tests.waiting import SAFETY

SDKS_CHARTS_MATHS = (
    "slack_bolt",
    "slack_sdk",
    "microsoft_agents",
    "discord",
    "matplotlib",
    "scipy",
    "networkx",
    "openai",
)
# Each loaded where it is needed: a key to seal tokens with, a text to stem, PostgreSQL.
HEAVY = (
    *SDKS_CHARTS_MATHS,
    "cryptography",
    "snowballstemmer",
    "sqlalchemy.dialects.postgresql",
    "asyncpg",
)

WATCHER = """
import json, os, signal, sys, threading, time, urllib.request

HEAVY = {heavy!r}

def health():
    try:
        with urllib.request.urlopen("http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            return json.loads(answer.read())
    except OSError:
        return None

def watch():
    while (found := health()) is None:
        time.sleep(0.05)
    names = {{part for name in sys.modules for part in (name, name.split(".")[0])}}
    loaded = sorted(names & set(HEAVY))
    print("LEAN " + json.dumps({{"health": found, "loaded": loaded}}), flush=True)
    os.kill(os.getpid(), signal.SIGTERM)

threading.Thread(target=watch, daemon=True).start()
from bot.wiring.cli import app
app(["run"])
"""

# What `rapport --help` needs none of: it lists the features' groups by name (bot/wiring/
# feature_commands.py), and the store, the web server and the settings load with a command.
NOT_FOR_HELP = (*HEAVY, "adapters", "sqlalchemy", "sqlmodel", "aiohttp", "pydantic", "yaml")

HELP = """
import sys
from bot.wiring.cli import app
try:
    app(["--help"])
finally:
    print("LOADED " + " ".join(sorted(sys.modules)))
"""


def test_help_loads_no_feature_store_or_web_server(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HELP],
        cwd=tmp_path,
        env=clean_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )
    assert done.returncode == 0, done.stderr
    assert "pulse" in done.stdout.split("LOADED ")[0]
    loaded = done.stdout.split("LOADED ")[1].split()
    features = sorted(name for name in loaded if name.startswith("handlers."))
    assert features == []
    assert sorted({name.split(".")[0] for name in loaded} & set(NOT_FOR_HELP)) == []


async def test_run_with_the_local_platform_loads_no_sdk_chart_or_maths_library(
    tmp_path: Path,
) -> None:
    # Migrated beforehand, as `make run` does: the start only reads the schema's version,
    # and hands nothing to Alembic (whose migrations load PostgreSQL's dialect).
    await migrate.upgrade(f"sqlite+aiosqlite:///{tmp_path}/lean.db")
    assert _loaded_once_healthy(tmp_path, (*HEAVY, "alembic")) == []


def test_a_new_database_is_migrated_at_start_without_sdk_chart_or_maths_library(
    tmp_path: Path,
) -> None:
    assert _loaded_once_healthy(tmp_path, SDKS_CHARTS_MATHS) == []


def _loaded_once_healthy(tmp_path: Path, heavy: tuple[str, ...]) -> list[str]:
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-c", WATCHER.format(heavy=heavy, port=port)],
        cwd=tmp_path,
        env=clean_env(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lean.db",
            HTTP_HOST="127.0.0.1",
            HTTP_PORT=str(port),
        ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )
    assert done.returncode == 0, done.stderr
    report = next(line for line in done.stdout.splitlines() if line.startswith("LEAN "))
    seen = json.loads(report.removeprefix("LEAN "))
    assert seen["health"]["status"] == "ok"
    assert seen["health"]["platforms"] == ["local"]
    loaded: list[str] = seen["loaded"]
    return loaded

"""`rapport run` is healthy before any feature has loaded, and with only the local platform
it loads no platform SDK, chart or maths library even once ready; `rapport --help` loads no
feature, adapter, store or web server either.

The command runs for real in a subprocess (SQLite in a temporary directory, no credentials).
A thread in that process holds the load of the features until /healthz answers and it has
written down which heavy packages and features are in sys.modules, lets the load go on, waits
until /readyz answers and writes them down again, then stops the bot as `docker stop` does.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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

# The bot's wiring, imported by the load's thread: in the event loop's it would hold up the
# probes' first answers.
WIRING = ("bot.wiring.assembly", "bot.wiring.web")
# Not before the port either: the adapters (their settings too), the command line's parser
# (`rapport run` takes no arguments), the message catalogs (a setting that does not fit is
# worded with them) and rich (the first line logged, or a person's words on the console,
# loads it). Logged at WARNING, as the benchmark does: at INFO, the access log line of the
# first probe, written once it has been answered, loads rich while the watcher looks.
LATER = ("typer", "click", "babel", "rich", "adapters")

WATCHER = """
import json, os, signal, sys, threading, urllib.error, urllib.request

import bot.wiring.serve

HEAVY = {heavy!r}
WIRING = {wiring!r}
LATER = {later!r}
go = threading.Event()
loading = bot.wiring.serve._import

def held(*load):
    # The load (a thread of its own) waits until the modules of the healthy phase are noted.
    go.wait()
    return loading(*load)

bot.wiring.serve._import = held

def probe(path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:{port}" + path, timeout=5) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError:
        return None
    except OSError:
        return None

def loaded():
    names = {{part for name in sys.modules for part in (name, name.split(".")[0])}}
    return {{
        "heavy": sorted(names & set(HEAVY)),
        "features": sorted(n for n in sys.modules if n.startswith("handlers.")),
        "tables": sorted(n for n in sys.modules if n.startswith("bot.models.")),
        "wiring": sorted(set(WIRING) & set(sys.modules)),
        "later": sorted(names & set(LATER)),
    }}

def until(path):
    while (found := probe(path)) is None:
        threading.Event().wait(0.05)
    return found

def watch():
    health = until("/healthz")
    at_health = loaded()
    go.set()
    ready = until("/readyz")
    seen = {{"health": health, "at_health": at_health, "ready": ready, "at_ready": loaded()}}
    print("LEAN " + json.dumps(seen), flush=True)
    os.kill(os.getpid(), signal.SIGTERM)

threading.Thread(target=watch, daemon=True).start()
sys.argv[1:] = ["run"]
from bot.wiring.console_script import main
main()
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


async def test_run_is_healthy_before_any_feature_loads_and_never_loads_an_sdk(
    tmp_path: Path,
) -> None:
    # Migrated beforehand, as `make run` does: the start only reads the schema's version,
    # and hands nothing to Alembic (whose migrations load PostgreSQL's dialect).
    await migrate.upgrade(f"sqlite+aiosqlite:///{tmp_path}/lean.db")
    seen = _phases(tmp_path, (*HEAVY, "alembic"))
    # Healthy: the database and the intake open, no feature loaded yet.
    assert seen["health"]["status"] == "ok"
    assert seen["health"]["features"] == "loading"
    # Of the core's tables, the intake's alone: the others load with the features.
    tables = ["bot.models.base", "bot.models.inbound"]
    assert seen["at_health"] == {
        "heavy": [],
        "features": [],
        "tables": tables,
        "wiring": [],
        "later": [],
    }
    # Ready: every feature loaded, and still no SDK, chart or maths library.
    assert seen["ready"]["status"] == "ready"
    assert seen["ready"]["platforms"] == ["local"]
    assert seen["at_ready"]["heavy"] == []
    assert "handlers.kudos" in seen["at_ready"]["features"]


def test_a_new_database_is_migrated_at_start_without_sdk_chart_or_maths_library(
    tmp_path: Path,
) -> None:
    seen = _phases(tmp_path, SDKS_CHARTS_MATHS)
    assert seen["ready"]["platforms"] == ["local"]
    assert seen["at_health"]["heavy"] == seen["at_ready"]["heavy"] == []


def _phases(tmp_path: Path, heavy: tuple[str, ...]) -> dict[str, Any]:
    """What /healthz said and which of `heavy` and of the features were loaded when it first
    answered (the load held until then), and the same once /readyz answered."""
    port = free_port()
    done = subprocess.run(
        [sys.executable, "-c", WATCHER.format(heavy=heavy, wiring=WIRING, later=LATER, port=port)],
        cwd=tmp_path,
        env=clean_env(
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/lean.db",
            HTTP_HOST="127.0.0.1",
            HTTP_PORT=str(port),
            LOG_LEVEL="WARNING",
        ),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SAFETY,
    )
    assert done.returncode == 0, done.stderr
    report = next(line for line in done.stdout.splitlines() if line.startswith("LEAN "))
    seen: dict[str, Any] = json.loads(report.removeprefix("LEAN "))
    return seen

"""`rapport run`: the port answers first, and the bot loads behind it.

1. With the core's settings: the database migrated if its schema is behind (only then is
   every table loaded before the port), the database and the durable intake opened.
2. The port bound: /healthz and /readyz answer (bot/wiring/probes.py); every other route
   answers 503 until the bot is loaded (bot/wiring/late_app.py).
3. In the background: the features and each configured platform's adapter imported in a
   thread (the probes keep answering meanwhile), every setting checked, the bot assembled
   on the database and intake of step 1, its web application served on the port, the
   runtime, the local console and the platforms' clients started. Then /readyz answers 200.

A failure in step 3 (a feature that does not import, a setting that does not fit, a platform
configured without its SDK) ends the process as it did before the port was bound: the error
reaches the command (bot/wiring/cli.py), which says so and exits with the same code.
Lines typed on the console before then are read once it starts: they wait in stdin.
"""

import asyncio
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.delivery.intake import Intake
from bot.kit.log_safety import RouteAccessLogger
from bot.store import migrate as migrations
from bot.store.db import Database
from bot.time.clock import RealClock
from bot.wiring import heap
from bot.wiring.config import Settings
from bot.wiring.late_app import LateApp
from bot.wiring.probes import READINESS_KEY, Phase, Readiness, healthz, readyz
from bot.wiring.replica import open_database

if TYPE_CHECKING:
    from bot.contract.router import Router
    from bot.wiring.assembly import Assembly

log = logging.getLogger("rapport")
Say = Callable[[str], None]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Every setting, each feature's included, once the features `Router` holds have loaded.
Read = Callable[["Router"], Settings]
# How long a console line under way when the server stops may take to finish.
CONSOLE_GRACE_SECONDS = 10.0
# How long the thread loading the features holds the GIL at most while the probes wait.
LOADING_SWITCH_SECONDS = 0.0005


async def serve(settings: Settings, say: Say, echo: Say | None, read: "Read | None" = None) -> None:
    """Serve until SIGINT or SIGTERM. `settings`: the core's; `read`: every setting for the
    features loaded in step 3 (by default from the environment, as `settings_check` reads
    them); `echo`: where the local platform shows its messages, None for nowhere."""
    read = read or _from_environment
    stop = asyncio.Event()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        # Ctrl-C, docker stop and systemd all end the loops between passes (Runtime.serve).
        with contextlib.suppress(NotImplementedError):
            asyncio.get_running_loop().add_signal_handler(stop_signal, stop.set)
    db = open_database(settings, settings.replica_id)
    if not await migrations.up_to_date(settings.database_url, db.engine):
        # Migrations load every table, the features' too: their settings are checked first,
        # so that one that does not fit stops the start before anything is written.
        _every_setting(settings, read)
        await migrations.upgrade(settings.database_url)
    intake = await _open_intake(settings, db)
    readiness = Readiness(db, settings.replica_id, console=echo is not None)
    late = LateApp()
    runner = web.AppRunner(front_app(readiness, late), access_log_class=RouteAccessLogger)
    assembly: Assembly | None = None
    try:
        await runner.setup()
        await web.TCPSite(runner, settings.http_host, settings.http_port).start()
        address = f"http://{settings.http_host}:{settings.http_port}"
        say(f"Rapport replica {settings.replica_id} is starting: {address}/healthz answers")
        assembly = await _until_loaded(_load(settings, read, db, intake, echo), stop)
        if assembly is None:
            return
        await late.serve(_web_app(assembly))
        heap.settle_after_startup()
        await _run(assembly, readiness, stop, say, address)
    finally:
        readiness.phase = Phase.STOPPING
        await runner.cleanup()  # the late application's too
        if assembly is not None:
            await assembly.close()
        else:
            await intake.close()
            await db.dispose()


async def _open_intake(settings: Settings, db: Database) -> Intake:
    """The intake, once it can store (its table is there)."""
    intake = Intake(db, RealClock(), settings, settings.replica_id)
    await intake.open()
    return intake


def front_app(readiness: Readiness, late: LateApp) -> web.Application:
    """The server's own application: the probes, and the late one behind them."""
    # aiohttp runs the middlewares of the applications a request reaches (the late one's,
    # SCIM's token check) only when the server's application has one of its own.
    app = web.Application(middlewares=[_passing])
    app[READINESS_KEY] = readiness
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.register_resource(late)

    async def close_late(_: web.Application) -> None:
        await late.close()

    app.on_cleanup.append(close_late)
    return app


@web.middleware
async def _passing(request: web.Request, handler: Handler) -> web.StreamResponse:
    return await handler(request)


def _web_app(assembly: "Assembly") -> web.Application:
    from bot.wiring.web import make_web_app

    return make_web_app(assembly.bot, assembly.slack, assembly.teams, runtime=assembly.runtime)


async def _run(
    assembly: "Assembly", readiness: Readiness, stop: asyncio.Event, say: Say, address: str
) -> None:
    """The runtime, the console and the platforms' clients, until `stop`; the replica is
    ready once the runtime serves."""
    runtime = assembly.runtime
    async with asyncio.TaskGroup() as group:
        group.create_task(runtime.serve(stop))
        clients = [group.create_task(_console(assembly))]
        clients += [group.create_task(client) for client in _clients(assembly)]
        await runtime.serving.wait()
        readiness.ready(list(assembly.bot.platforms), lambda: runtime.trigger_lock.owned)
        say(
            f"Rapport replica {runtime.replica} is running: {address}/readyz · "
            f"database {assembly.db.engine.dialect.name} · "
            f"platforms: {', '.join(assembly.bot.platforms)}"
        )
        if readiness.console:
            say(
                "Local console: type transcript lines (try 'ann in #general: /kudos help'), "
                "Ctrl-C quits."
            )
        await stop.wait()
        readiness.phase = Phase.STOPPING
        assembly.bot.outbox_ready.set()
        for client in clients:
            client.cancel()


def _clients(assembly: "Assembly") -> list[Coroutine[Any, Any, None]]:
    """The platforms' clients this process runs for its role: the roster readers where the
    work is done, the connections that bring events in (Discord's gateway, Slack's Socket
    Mode) where they are stored and acknowledged."""
    role = assembly.bot.settings.run_role
    clients: list[Coroutine[Any, Any, None]] = []
    if role != "front":
        if assembly.slack is not None:
            clients.append(assembly.slack.sync_rosters())
        if assembly.teams is not None:
            clients.append(assembly.teams.read_graph_everywhere())
    if role == "worker":
        return clients
    if assembly.discord is not None:
        # The gateway client shares this event loop with the server and the outbox.
        clients.append(assembly.discord.run())
    app_token = assembly.slack.slack_settings.app_token if assembly.slack else ""
    if assembly.slack is not None and app_token:
        clients.append(assembly.slack.run_socket_mode(app_token))
    return clients


async def _console(assembly: "Assembly") -> None:
    """Run lines typed on stdin; at EOF (no terminal, stdin closed) only the console ends."""
    lines: asyncio.Queue[str] = asyncio.Queue()
    # A daemon thread, not asyncio.to_thread: shutdown waits for executor threads, so a
    # readline blocked on an open terminal would keep Ctrl-C waiting for an Enter.
    reader = threading.Thread(
        target=_read_stdin, args=(asyncio.get_running_loop(), lines), daemon=True
    )
    reader.start()
    while line := await lines.get():
        await _console_line(assembly, line)


async def _console_line(assembly: "Assembly", line: str) -> None:
    """Run one line. Stopping meanwhile lets it finish (for a while): cut in the middle of
    a query, SQLAlchemy logged the cancelled statement's traceback."""
    running = asyncio.ensure_future(_execute(assembly, line))
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        await asyncio.wait({running}, timeout=CONSOLE_GRACE_SECONDS)
        running.cancel()
        raise


async def _execute(assembly: "Assembly", line: str) -> None:
    try:
        await assembly.shell.execute(line)
    except Exception:
        # One line that fails (a database busy for too long) must not stop the server
        # and every platform with it, as the failure would in the task group.
        log.exception("a console line failed; the console reads on")


def _read_stdin(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str]) -> None:
    while True:
        line = sys.stdin.readline()
        try:
            loop.call_soon_threadsafe(lines.put_nowait, line)
        except RuntimeError:  # the loop is closed: the server has stopped
            return
        if not line:
            return


async def _until_loaded(
    loading: Coroutine[Any, Any, "Assembly"], stop: asyncio.Event
) -> "Assembly | None":
    """The loaded bot, or None when told to stop first; a failure while loading is raised."""
    load = asyncio.ensure_future(loading)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({load, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not load.done():
            load.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        return await load
    return None


async def _load(
    settings: Settings, read: "Read", db: Database, intake: Intake, echo: Say | None
) -> "Assembly":
    """The bot on `db` and `intake`, every setting checked (BadSettings if one does not
    fit), each configured platform's adapter built (MissingSdk without its SDK)."""
    router, every_setting = await _imported(settings, read)
    # Imported by `_import` in its thread: here, in the event loop's, they would hold up the
    # probes' first answers for as long as the wiring takes to import.
    from bot.wiring.assembly import assemble
    from bot.wiring.platforms import oauth_tokens_unsealed

    if oauth_tokens_unsealed(every_setting):
        log.warning(
            "SLACK_CLIENT_ID is set but TOKEN_ENCRYPTION_KEYS is empty: the bot tokens of "
            "OAuth installs are stored unencrypted in the database "
            "(docs/platforms/slack.md: bot tokens at rest)"
        )
    return await assemble(every_setting, router, RealClock(), echo, db=db, intake=intake)


async def _imported(settings: Settings, read: "Read") -> tuple["Router", Settings]:
    """`_import` in a thread, the GIL handed over more often meanwhile.

    A probe's answer hops between the event loop and the database driver's thread several
    times (connection, statement, result), and each hop waits until the thread importing
    the features lets the GIL go: by default after up to 5 ms, which about doubled the time
    the probes took to answer while the features loaded (benchmarks/README.md, Lean start)."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(LOADING_SWITCH_SECONDS)
    try:
        return await asyncio.to_thread(_import, settings, read)
    finally:
        sys.setswitchinterval(previous)


def _import(settings: Settings, read: "Read") -> tuple["Router", Settings]:
    """In a thread: the modules of the features, the wiring and the configured platforms
    (most of the start's time, all of it CPU), and every setting read."""
    from bot.wiring import assembly as _assembly  # noqa: F401  (imported here, used after)
    from bot.wiring import web as _web  # noqa: F401  (the web application's, imported here)
    from bot.wiring.platforms import import_platforms

    router, every_setting = _every_setting(settings, read)
    import_platforms(every_setting)
    return router, every_setting


def _every_setting(settings: Settings, read: "Read") -> tuple["Router", Settings]:
    """The features' router and every setting, each feature's included, for the replica
    `settings` names."""
    from bot.wiring.features import build_router

    router = build_router()
    return router, read(router).model_copy(update={"replica_id": settings.replica_id})


def _from_environment(router: "Router") -> Settings:
    """Every setting from the environment and `.env`; BadSettings if one does not fit."""
    from bot.wiring.settings_check import configured

    return configured(router.sections.values())

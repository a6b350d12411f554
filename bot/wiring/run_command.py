"""`rapport run`: serve the bot (bot/wiring/serve.py) until SIGINT or SIGTERM.

The console script sends a bare `rapport run` here without the command line's parser
(bot/wiring/console_script.py): typer and its modules are not loaded before the port opens.
A setting that does not fit, or a platform configured without its SDK, is said on stderr
and ends the command with exit code 2, as every other command does.
"""

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.wiring import heap

if TYPE_CHECKING:
    from bot.wiring.config import Settings

# The exit code of a configuration that does not fit (typer's for a usage error).
REFUSED = 2
log = logging.getLogger("rapport")


def run() -> int:
    """Serve until stopped; the exit code."""
    heap.hold_during_startup()
    from bot.store.secrets_at_rest import InvalidKeys, Sealer
    from bot.wiring.missing_sdk import MissingSdk
    from bot.wiring.replica import replica_name
    from bot.wiring.serve import serve
    from bot.wiring.settings_check import BadSettings, configured

    try:
        # The core's settings: each feature's are read once the features have loaded,
        # behind the open port (bot/wiring/serve.py).
        settings = configured(())
    except BadSettings as bad:
        return refused(*bad.problems)
    settings = settings.model_copy(update={"replica_id": replica_name(settings)})
    _logging(settings)
    try:
        Sealer.from_setting(settings.token_encryption_keys)
    except InvalidKeys as bad:
        return refused(str(bad))
    # The local platform's messages carry people's words: shown to a person at the console,
    # never written to a JSON log.
    echo = _echo if settings.log_format == "console" else None
    try:
        with contextlib.suppress(KeyboardInterrupt):  # where signal handlers are unavailable
            asyncio.run(serve(settings, _say(settings), echo))
    except MissingSdk as missing:
        return refused(str(missing))
    except BadSettings as bad:
        return refused(*bad.problems)
    _say(settings)("bye")
    return 0


def refused(*problems: str) -> int:
    """Say what does not fit on stderr, as every command does; the exit code for it."""
    for problem in problems:
        print(f"configuration error: {problem}", file=sys.stderr)
    return REFUSED


def _logging(settings: "Settings") -> None:
    if settings.log_format == "json":
        from bot.observe.json_logs import JsonFormatter

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter(settings.replica_id))
        logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
        return
    from bot.observe.console_logs import ConsoleHandler

    # With several replicas, every line says which one wrote it.
    replica = settings.replica_id.replace("%", "%%")
    logging.basicConfig(
        level=settings.log_level.upper(),
        format=f"[{replica}] %(message)s" if replica else "%(message)s",
        handlers=[ConsoleHandler()],
    )


def _say(settings: "Settings") -> Callable[[str], None]:
    """Where `run` tells how it is doing: the console, or the JSON log, whose lines then
    are the only thing written (stdout included)."""
    return log.info if settings.log_format == "json" else _status


def _status(line: str) -> None:
    # Plain: its own lines hold no one's words, and rich loads with the first of those.
    print(line, flush=True)


def _echo(line: str) -> None:
    """The local platform's messages: people's words, written by rich as typed."""
    from bot.wiring.terminal import print_line

    print_line(line)

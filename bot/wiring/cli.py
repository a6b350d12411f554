"""`rapport run | shell | migrate | seed-demo | secrets`, and each feature's commands
(`rapport pulse create`): the entry points that wire everything together.

The wiring (the features, the store, the assembly, the web app) is imported inside the
commands that use it, and each feature's commands only when they run
(bot/wiring/feature_commands.py), so that `rapport --help` imports none of it.
"""

import asyncio
import logging
import os
import sys
import tempfile
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from bot.wiring.feature_commands import FeatureGroups
from bot.wiring.run_command import refused
from bot.wiring.terminal import print_line as _print
from bot.wiring.version import rapport_version

if TYPE_CHECKING:
    from adapters.slack.token_reseal import Resealed
    from bot.contract.feature import CommandLine
    from bot.store.secrets_at_rest import Sealer
    from bot.wiring.config import Settings
    from bot.wiring.settings_check import BadSettings


class _Groups(FeatureGroups):
    def command_line(self) -> "CommandLine":
        from bot.contract.feature import CommandLine

        return CommandLine(settings=_settings, say=_print)


app = typer.Typer(cls=_Groups, help="Rapport: the social-HR bot.", no_args_is_help=True)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"rapport {rapport_version()}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and stop."
        ),
    ] = False,
) -> None:
    """Rapport: the social-HR bot."""


def _settings() -> "Settings":
    """Every setting, each feature's included, read and checked before anything starts: one
    that does not fit stops the command with a line naming it and what it allows."""
    from bot.wiring.features import build_router
    from bot.wiring.settings_check import BadSettings, configured

    try:
        return configured(build_router().sections.values())
    except BadSettings as bad:
        _refuse(bad)


def _refuse(bad: "BadSettings") -> NoReturn:
    raise typer.Exit(refused(*bad.problems)) from None


def _sealer(settings: "Settings") -> "Sealer":
    """The keys sealing stored tokens; a bad one stops the command before anything starts."""
    from bot.store.secrets_at_rest import InvalidKeys, Sealer

    try:
        return Sealer.from_setting(settings.token_encryption_keys)
    except InvalidKeys as bad:
        raise typer.Exit(refused(str(bad))) from None


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from bot.kit.log_safety import without_password
    from bot.store import migrate as migrations

    settings = _settings()
    asyncio.run(migrations.upgrade(settings.database_url))
    _print(f"database at {without_password(settings.database_url)} is up to date")


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy; must not exist.")],
    database_url: Annotated[
        str | None, typer.Option(help="Database to copy; DATABASE_URL if omitted.")
    ] = None,
) -> None:
    """Copy the SQLite database while Rapport runs (PostgreSQL: pg_dump, see the docs)."""
    from bot.kit.log_safety import without_password
    from bot.store.backup import CannotBackUp
    from bot.store.backup import backup as copy_database

    url = database_url or _settings().database_url
    try:
        written = copy_database(url, file)
    except CannotBackUp as cannot:
        _print(f"{cannot}; the database is {without_password(url)}")
        if not url.startswith("sqlite"):
            _print("for PostgreSQL use pg_dump (docs/operations/backups.md)")
        raise typer.Exit(1) from cannot
    _print(f"backed up {without_password(url)} to {', '.join(map(str, written))}")


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Seed the demo workspace into an empty database."""
    from bot.store.db import session_at
    from bot.wiring.demo import seed_demo
    from bot.wiring.features import every_feature

    async def seed() -> bool:
        async with session_at(_settings().database_url) as session:
            return await seed_demo(session, datetime.now(UTC), every_feature())

    _print("demo workspace seeded" if asyncio.run(seed()) else "database not empty: nothing seeded")


@app.command()
def run() -> None:
    """Serve the bot: HTTP on HTTP_HOST:HTTP_PORT, schedules, outbox, local console on stdin.

    The port answers /healthz as soon as the database and the intake are open; the features,
    the platforms and the runtime load behind it, and /readyz answers 200 once they serve
    (bot/wiring/serve.py)."""
    from bot.wiring.run_command import run as serve_until_stopped

    raise typer.Exit(serve_until_stopped())


@app.command()
def shell(
    script: Annotated[
        Path | None, typer.Argument(help="Transcript file; stdin if omitted.")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="Database to use; a fresh demo database if omitted.")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="Virtual clock start, ISO 8601 UTC, e.g. 2027-03-26T09:00")
    ] = None,
) -> None:
    """Talk to the bot as the demo workspace's people, on a virtual clock."""
    settings = _settings()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        url = database_url or f"sqlite+aiosqlite:///{scratch}/shell.db"
        when = datetime.fromisoformat(start).replace(tzinfo=UTC) if start else None
        lines = script.read_text().splitlines() if script else None
        asyncio.run(_shell(settings.model_copy(update={"database_url": url}), lines, when))


async def _shell(settings: "Settings", lines: list[str] | None, start: datetime | None) -> None:
    from adapters.local.transcript import SYNTAX
    from bot.store import migrate as migrations
    from bot.time.clock import VirtualClock
    from bot.wiring.assembly import assemble
    from bot.wiring.features import build_router

    await migrations.upgrade(settings.database_url)
    clock = VirtualClock(start or datetime.now(UTC).replace(second=0, microsecond=0))
    assembly = await assemble(settings, build_router(), clock, _print)
    assembly.shell.command_line = partial(_command, settings.database_url)
    interactive = lines is None and sys.stdin.isatty()
    if interactive:
        _print(SYNTAX)
    try:
        source = iter(lines) if lines is not None else None
        while True:
            if source is not None:
                line = next(source, None)
            elif interactive:
                line = await asyncio.to_thread(_prompt)
            else:
                line = await asyncio.to_thread(sys.stdin.readline) or None
            if line is None:
                break
            if not interactive and line.strip():
                _print(f"> {line.rstrip()}")
            await assembly.shell.execute(line)
    finally:
        await assembly.close()


async def _command(database_url: str, args: list[str]) -> tuple[int, list[str]]:
    """`rapport ARGS` in a process of its own on the shell's database, as an administrator
    would run it beside a running bot: its exit code and its output, errors included."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.wiring.cli",
        *args,
        env={**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace").splitlines()


def _prompt() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None


secrets_app = typer.Typer(help="Secrets kept in the database.", no_args_is_help=True)
app.add_typer(secrets_app, name="secrets")


@secrets_app.command("reseal")
def secrets_reseal(
    database_url: Annotated[
        str | None, typer.Option(help="Database to use; DATABASE_URL if omitted.")
    ] = None,
) -> None:
    """Encrypt every stored bot token with the first TOKEN_ENCRYPTION_KEYS key: after adding
    a key (rotation) or to encrypt tokens stored before keys were set. Safe to run again."""
    settings = _settings()
    sealer = _sealer(settings)
    if not sealer.sealing:
        typer.echo("TOKEN_ENCRYPTION_KEYS is empty: there is no key to encrypt with", err=True)
        raise typer.Exit(1)
    done = asyncio.run(_reseal(database_url or settings.database_url, sealer))
    _print(f"resealed {done.changed} of {done.stored} stored tokens")
    if done.unreadable:
        _print(f"no key opens the token of: {', '.join(done.unreadable)}")
        raise typer.Exit(1)


async def _reseal(url: str, sealer: "Sealer") -> "Resealed":
    from adapters.slack.token_reseal import reseal_tokens
    from bot.store.db import session_at

    async with session_at(url) as session:
        return await reseal_tokens(session, sealer)


if __name__ == "__main__":
    app()

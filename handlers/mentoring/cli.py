"""`rapport mentoring import FILE`: mentoring profiles in bulk, from a CSV.

The command line speaks English, as every `rapport` command does: its words are not in the
catalog (`# not translated`)."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.contract.feature import CommandLine
from bot.kit.people import workspaces_named
from bot.store.db import session_at
from handlers.mentoring.profiles import ImportFailed, import_csv

HELP = "Mentoring profiles in bulk."  # not translated: CLI
FILE_HELP = (
    "CSV with a header: user (platform user id or email), role "  # not translated: CLI
    "(mentor|mentee|both), skills, goals (separated by ; or commas), "
    "availability, capacity (1-10, default 2)."
)
WORKSPACE_HELP = "Workspace id on its platform; needed if there are several."  # not translated: CLI
DATABASE_HELP = "Database to use; DATABASE_URL if omitted."  # not translated: CLI


def commands(line: CommandLine) -> typer.Typer:
    app = typer.Typer(help=HELP, no_args_is_help=True)

    @app.command("import")
    def mentoring_import(
        file: Annotated[
            Path,
            typer.Argument(
                help=FILE_HELP,
                exists=True,
                dir_okay=False,
            ),
        ],
        workspace: Annotated[
            str | None,
            typer.Option(help=WORKSPACE_HELP),
        ] = None,
        database_url: Annotated[
            str | None,
            typer.Option(help=DATABASE_HELP),
        ] = None,
    ) -> None:
        """Create or update mentoring profiles from a CSV; one bad row and nothing is imported."""
        url = database_url or line.settings().database_url
        text = file.read_text(encoding="utf-8-sig")
        try:
            name, count = asyncio.run(_import_profiles(url, text, workspace))
        except ImportFailed as failed:
            for error in failed.errors:
                line.say(error)
            line.say("nothing was imported")  # not translated: CLI
            raise typer.Exit(1) from failed
        line.say(f"imported {count} mentoring profiles into {name}")  # not translated: CLI

    return app


async def _import_profiles(url: str, text: str, external_id: str | None) -> tuple[str, int]:
    async with session_at(url) as session:
        found = await workspaces_named(session, external_id)
        if len(found) != 1:
            matching = (
                f"{len(found)} workspaces match: name one with --workspace"  # not translated: CLI
            )
            raise ImportFailed([matching])
        count = await import_csv(session, found[0], text, datetime.now(UTC))
        return found[0].name, count

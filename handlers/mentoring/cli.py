"""`rapport mentoring import FILE`: mentoring profiles in bulk, from a CSV."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.contract.feature import CommandLine
from bot.kit.people import workspaces_named
from bot.store.db import session_at
from handlers.mentoring.profiles import ImportFailed, import_csv


def commands(line: CommandLine) -> typer.Typer:
    app = typer.Typer(help="Mentoring profiles in bulk.", no_args_is_help=True)

    @app.command("import")
    def mentoring_import(
        file: Annotated[
            Path,
            typer.Argument(
                help="CSV with a header: user (platform user id or email), role "
                "(mentor|mentee|both), skills, goals (separated by ; or commas), "
                "availability, capacity (1-10, default 2).",
                exists=True,
                dir_okay=False,
            ),
        ],
        workspace: Annotated[
            str | None,
            typer.Option(help="Workspace id on its platform; needed if there are several."),
        ] = None,
        database_url: Annotated[
            str | None, typer.Option(help="Database to use; DATABASE_URL if omitted.")
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
            line.say("nothing was imported")
            raise typer.Exit(1) from failed
        line.say(f"imported {count} mentoring profiles into {name}")

    return app


async def _import_profiles(url: str, text: str, external_id: str | None) -> tuple[str, int]:
    async with session_at(url) as session:
        found = await workspaces_named(session, external_id)
        if len(found) != 1:
            raise ImportFailed([f"{len(found)} workspaces match: name one with --workspace"])
        count = await import_csv(session, found[0], text, datetime.now(UTC))
        return found[0].name, count

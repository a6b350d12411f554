"""`rapport people …`: the directory from the command line."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.kit.people import workspaces_named
from bot.store.db import session_at
from bot.wiring.config import Settings
from handlers.people.csv_import import COLUMNS, Imported, ImportFailed, import_people

app = typer.Typer(help="The people directory: HR data.", no_args_is_help=True)


class CheckedOnly(Exception):
    """Raised after a successful check so that the transaction rolls back."""

    def __init__(self, name: str, result: Imported) -> None:
        self.name = name
        self.result = result


@app.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help=f"CSV with a header naming some of: {', '.join(COLUMNS)}; `user` (e-mail "
            "or platform user id) is required.",
            exists=True,
            dir_okay=False,
        ),
    ],
    workspace: Annotated[
        str | None, typer.Option(help="Workspace id on its platform; needed if there are several.")
    ] = None,
    check: Annotated[bool, typer.Option(help="Check the file only; change nothing.")] = False,
    database_url: Annotated[
        str | None, typer.Option(help="Database to use; DATABASE_URL if omitted.")
    ] = None,
) -> None:
    """Import departments, managers, locations and time zones from an HR file. Every row is
    checked first; one bad row and nothing is imported (exit code 1)."""
    url = database_url or Settings().database_url
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        typer.echo(f"{file}: not UTF-8 text; save the file as CSV UTF-8", err=True)
        raise typer.Exit(1) from None
    try:
        name, result = asyncio.run(_import(url, text, workspace, check))
    except ImportFailed as failed:
        for error in failed.errors:
            typer.echo(f"{file}: {error}", err=True)
        typer.echo("nothing was imported", err=True)
        raise typer.Exit(1) from failed
    verb = "would import" if check else "imported"
    typer.echo(
        f"{verb} into {name}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


async def _import(
    url: str, text: str, external_id: str | None, check: bool
) -> tuple[str, Imported]:
    try:
        async with session_at(url) as session:
            found = await workspaces_named(session, external_id)
            if len(found) != 1:
                raise ImportFailed([f"{len(found)} workspaces match: name one with --workspace"])
            result = await import_people(session, found[0], text, datetime.now(UTC))
            if check:
                raise CheckedOnly(found[0].name, result)
            return found[0].name, result
    except CheckedOnly as checked:
        return checked.name, checked.result

"""`rapport people …`: the directory from the command line.

What it prints is in the language of the workspace it imports into (WORKSPACE_LANGUAGE until
one is found); its help, read before any workspace is named, is in English.
"""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.kit.i18n import speaking
from bot.kit.language import workspace_language
from bot.kit.people import workspaces_named
from bot.store.db import session_at
from bot.wiring.config import Settings
from handlers.people.csv_import import COLUMNS, Imported, ImportFailed, import_people
from handlers.people.i18n import _, ngettext

HELP = "The people directory: HR data."  # not translated: CLI help
FILE_HELP = (
    "CSV with a header naming some of: {columns}; "  # not translated: CLI help
    "`user` (e-mail or platform user id) is required."
)
WORKSPACE_HELP = (
    "Workspace id on its platform; needed if there are several."  # not translated: CLI help
)
CHECK_HELP = "Check the file only; change nothing."  # not translated: CLI help
DATABASE_HELP = "Database to use; DATABASE_URL if omitted."  # not translated: CLI help

app = typer.Typer(help=HELP, no_args_is_help=True)


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
            help=FILE_HELP.format(columns=", ".join(COLUMNS)), exists=True, dir_okay=False
        ),
    ],
    workspace: Annotated[str | None, typer.Option(help=WORKSPACE_HELP)] = None,
    check: Annotated[bool, typer.Option(help=CHECK_HELP)] = False,
    database_url: Annotated[str | None, typer.Option(help=DATABASE_HELP)] = None,
) -> None:
    """Import departments, managers, locations and time zones from an HR file. Every row is
    checked first; one bad row and nothing is imported (exit code 1)."""
    settings = Settings()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        with speaking(settings.workspace_language):
            typer.echo(_("{file}: not UTF-8 text; save the file as CSV UTF-8").format(file=file))
        raise typer.Exit(1) from None
    url = database_url or settings.database_url
    if not asyncio.run(_import(url, file, text, workspace, check, settings)):
        raise typer.Exit(1)


async def _import(
    url: str, file: Path, text: str, external_id: str | None, check: bool, settings: Settings
) -> bool:
    """Import (or check) the file, saying how it went; whether it went well. A failure or a
    check leaves the session by an exception, so that nothing is written."""
    language: str = settings.workspace_language
    try:
        async with session_at(url) as session:
            found = await workspaces_named(session, external_id)
            if len(found) == 1:
                language = workspace_language(found[0], settings)
            with speaking(language):
                if len(found) != 1:
                    message = ngettext(
                        "{count} workspace matches: name one with --workspace",
                        "{count} workspaces match: name one with --workspace",
                        len(found),
                    )
                    raise ImportFailed([message.format(count=len(found))])
                result = await import_people(session, found[0], text, datetime.now(UTC))
            name = found[0].name
            if check:
                raise CheckedOnly(name, result)
    except CheckedOnly as checked:
        name, result = checked.name, checked.result
    except ImportFailed as failed:
        with speaking(language):
            for error in failed.errors:
                typer.echo(f"{file}: {error}", err=True)
            typer.echo(_("nothing was imported"), err=True)
        return False
    with speaking(language):
        _say_imported(name, result, check=check)
    return True


def _say_imported(name: str, result: Imported, *, check: bool) -> None:
    counts = {"new": result.created, "updated": result.updated, "unchanged": result.unchanged}
    if check:
        message = _(
            "would import into {workspace}: {new} new, {updated} updated, {unchanged} unchanged"
        )
    else:
        message = _(
            "imported into {workspace}: {new} new, {updated} updated, {unchanged} unchanged"
        )
    typer.echo(message.format(workspace=name, **counts))

"""`rapport pulse create FILE`: a pulse survey from a YAML file.

The command line speaks English, as the rest of `rapport --help`: it has no reader whose
language it could know.
"""

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.contract.errors import UserError
from bot.contract.feature import CommandLine
from bot.store.db import session_at
from bot.wiring.config import Settings
from handlers.pulse.authoring import SpecFileError, create_from_yaml
from handlers.pulse.render import audience_now


def commands(line: CommandLine) -> typer.Typer:
    app = typer.Typer(help="Pulse surveys.", no_args_is_help=True)  # not translated: CLI

    @app.command("create")
    def pulse_create(
        file: Annotated[
            Path,
            typer.Argument(
                help="YAML survey file (see examples/pulse-weekly.yml).",  # not translated: CLI
                exists=True,
                dir_okay=False,
            ),
        ],
        workspace: Annotated[
            str | None,
            typer.Option(
                help="Workspace id on its platform, if there are several.",  # not translated: CLI
            ),
        ] = None,
        platform: Annotated[
            str,
            typer.Option(help="Platform of the workspace."),  # not translated: CLI
        ] = "local",
        database_url: Annotated[
            str | None,
            typer.Option(help="Database to use; DATABASE_URL if omitted."),  # not translated: CLI
        ] = None,
    ) -> None:
        """Create a pulse survey from a YAML file; a file with errors creates nothing."""
        settings = line.settings()
        url = database_url or settings.database_url
        text = file.read_text(encoding="utf-8")
        try:
            title, survey_id, size = asyncio.run(_create(url, settings, text, workspace, platform))
        except (SpecFileError, UserError) as bad:
            line.say(f"{file}: {bad}")
            line.say("nothing was created")  # not translated: CLI
            raise typer.Exit(1) from bad
        created = f"created pulse survey #{survey_id} “{title}”:"  # not translated: CLI
        line.say(f"{created} {audience_now(size)}")

    return app


async def _create(
    url: str, settings: Settings, text: str, workspace: str | None, platform: str
) -> tuple[str, int, int]:
    async with session_at(url) as session:
        survey, size = await create_from_yaml(
            session, text, settings, datetime.now(UTC), workspace=workspace, platform=platform
        )
        return survey.title, survey.id or 0, size

"""`rapport eval routing | insights`: the offline measures, printed as JSON.

The reports load numpy and scipy, so each command imports its report only when it runs:
`rapport --help` and the bot itself never load them."""

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from bot.contract.feature import CommandLine

_DUMP_HELP = "A StackExchange dump directory with {}."


def commands(line: CommandLine) -> typer.Typer:
    app = typer.Typer(help="Measure decisions against real history.", no_args_is_help=True)

    @app.command("routing")
    def routing(
        stackexchange: Annotated[
            Path,
            typer.Option(
                help=_DUMP_HELP.format("Posts.xml and Tags.xml"), exists=True, file_okay=False
            ),
        ],
    ) -> None:
        """Replay a StackExchange dump through the Q&A expert ranking; print its figures as JSON."""
        _needs(line, stackexchange, ("Posts.xml", "Tags.xml"))
        from handlers.evaluation.routing_report import report
        from handlers.qa.settings import SECTION as QA_SETTINGS

        half_life = line.settings().features.of(QA_SETTINGS).expertise_half_life_days
        _print_figures(line, stackexchange, lambda: report(stackexchange, half_life))

    @app.command("insights")
    def insights(
        stackexchange: Annotated[
            Path,
            typer.Option(
                help=_DUMP_HELP.format("Posts.xml, Comments.xml and Users.xml"),
                exists=True,
                file_okay=False,
            ),
        ],
    ) -> None:
        """Run the network insights on a StackExchange dump's answers and comments; print JSON."""
        _needs(line, stackexchange, ("Posts.xml", "Comments.xml", "Users.xml"))
        from handlers.evaluation.insights import report

        _print_figures(line, stackexchange, lambda: report(stackexchange))

    return app


def _needs(line: CommandLine, dump: Path, files: tuple[str, ...]) -> None:
    missing = [name for name in files if not (dump / name).is_file()]
    if missing:
        line.say(f"{dump} has no {' or '.join(missing)}: is it a StackExchange dump?")
        raise typer.Exit(1)


def _print_figures(line: CommandLine, dump: Path, report: Callable[[], dict[str, object]]) -> None:
    try:
        figures = report()
    except (ElementTree.ParseError, KeyError, ValueError) as unreadable:
        line.say(f"could not read the dump in {dump}: {unreadable}")
        raise typer.Exit(1) from unreadable
    # Plain echo: the JSON must reach a pipe exactly as written.
    typer.echo(json.dumps(figures, indent=2))

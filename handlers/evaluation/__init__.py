"""Offline evaluation against real history: the Q&A routing replay and the network insights on
a StackExchange dump. Not a chat feature (no routes): its one contribution is `rapport eval`
(cli.py), and benchmarks/ use its reports directly; the running bot never loads them."""

from typing import TYPE_CHECKING

from bot.contract.feature import CommandLine, Feature

if TYPE_CHECKING:
    import typer


def _commands(line: CommandLine) -> "typer.Typer":
    from handlers.evaluation import cli

    return cli.commands(line)


feature = Feature("eval", commands=_commands)

"""The features' `rapport <name> …` groups, imported only when one of them runs.

The top group lists each by the name and help `handlers.COMMAND_GROUPS` gives, so that
`rapport --help` answers without importing a feature (and the tables, SQLAlchemy and aiohttp
under them); the group itself, built by its feature's `commands`, takes the stand-in's place
once its name is the command invoked.
"""

from abc import abstractmethod
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup
from typer.main import get_group

from handlers import COMMAND_GROUPS

if TYPE_CHECKING:
    from bot.contract.feature import CommandLine


class FeatureGroups(TyperGroup):
    """A top group with a stand-in (name and help, no commands) for each feature's group."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, help_text in COMMAND_GROUPS.items():
            self.add_command(TyperGroup(name=name, help=help_text), name)

    @abstractmethod
    def command_line(self) -> "CommandLine":
        """What the features' commands are given."""

    # Any: the click under typer is its private copy (typer._click), whose types have no
    # public name to write here.
    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in COMMAND_GROUPS:
            self._load(args[0])
        return super().resolve_command(ctx, args)

    def _load(self, name: str) -> None:
        from bot.wiring.features import every_feature

        (commands,) = (f.commands for f in every_feature() if f.name == name and f.commands)
        holder = typer.Typer()
        holder.add_typer(commands(self.command_line()), name=name)
        self.add_command(get_group(holder).commands[name], name)

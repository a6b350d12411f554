"""One application (slash) command per command the core router knows, with typed options.

Every command takes free `text`; a few also take user options, which Discord fills from a
member picker and which reach the core as mentions leading the text. Autocomplete on `text`
offers the command's first words.
"""

import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Protocol, cast

import discord
from discord import app_commands

from adapters.discord.command_languages import description
from bot.contract.router import Router

log = logging.getLogger(__name__)

CHOICES_LIMIT = 25

# Commands whose first arguments are people: the options Discord shows for them, in order.
USER_OPTIONS: dict[str, int] = {"kudos": 3, "rapport": 1}
# First words worth suggesting; every command also understands `help`.
FIRST_WORDS: dict[str, tuple[str, ...]] = {
    "kudos": ("me", "leaderboard", "undo", "values", "settings"),
    "rapport": ("roles", "role", "my-data", "forget-me", "forget", "audit"),
}

TEXT = "What to say, e.g. `help`; mentions work too"
PERSON = "Someone this is about"

Callback = Callable[..., Coroutine[Any, Any, None]]


class CommandAnswering(Protocol):
    async def answer_command(
        self,
        interaction: discord.Interaction[Any],
        name: str,
        text: str,
        users: Sequence[discord.User | discord.Member | None],
    ) -> None: ...


def _answer(interaction: discord.Interaction[Any]) -> CommandAnswering:
    return cast(CommandAnswering, interaction.client)


def _callback(name: str, people: int) -> Callback:
    """A callback whose signature gives Discord the options: text, and up to three people."""
    if people >= 3:

        @app_commands.describe(to=PERSON, text=TEXT, also=PERSON, more=PERSON)
        async def three(
            interaction: discord.Interaction[Any],
            to: discord.User | None = None,
            text: str | None = None,
            also: discord.User | None = None,
            more: discord.User | None = None,
        ) -> None:
            await _answer(interaction).answer_command(
                interaction, name, text or "", [to, also, more]
            )

        return three
    if people == 1:

        @app_commands.describe(person=PERSON, text=TEXT)
        async def one(
            interaction: discord.Interaction[Any],
            person: discord.User | None = None,
            text: str | None = None,
        ) -> None:
            await _answer(interaction).answer_command(interaction, name, text or "", [person])

        return one

    @app_commands.describe(text=TEXT)
    async def text_only(interaction: discord.Interaction[Any], text: str | None = None) -> None:
        await _answer(interaction).answer_command(interaction, name, text or "", [])

    return text_only


def suggestions(name: str, current: str) -> list[app_commands.Choice[str]]:
    """First words starting with what has been typed; nothing once a second word has begun."""
    typed = current.strip().lower()
    if " " in typed:
        return []
    words = ("help", *FIRST_WORDS.get(name, ()))
    return [app_commands.Choice(name=w, value=w) for w in words if w.startswith(typed)][
        :CHOICES_LIMIT
    ]


def _completer(
    name: str,
) -> Callable[[discord.Interaction[Any], str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]:
    async def complete(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return suggestions(name, current)

    return complete


def build_commands(router: Router) -> list[app_commands.Command[Any, ..., None]]:
    commands: list[app_commands.Command[Any, ..., None]] = []
    for name, route in sorted(router.commands.items()):
        try:
            command: app_commands.Command[Any, ..., None] = app_commands.Command(
                name=name,
                description=description(route.help, f"/{name}"),
                callback=_callback(name, USER_OPTIONS.get(name, 0)),
            )
        except (ValueError, TypeError) as invalid:
            log.warning("command /%s cannot be a Discord command: %s", name, invalid)
            continue
        command.autocomplete("text")(_completer(name))
        commands.append(command)
    return commands

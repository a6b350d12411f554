"""What the commands print for a person at the console, shared by `rapport run`
(bot/wiring/run_command.py) and every other command (bot/wiring/cli.py)."""

from rich.console import Console

# emoji=False: transcript lines such as `bob reacts :tada: to m3` must print as typed.
console = Console(highlight=False, soft_wrap=True, emoji=False)


def print_line(line: str) -> None:
    console.print(line, markup=False)

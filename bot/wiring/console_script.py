"""The `rapport` console script.

A bare `rapport run` goes straight to the server (bot/wiring/run_command.py): it is the
command whose start a load balancer waits for, and the command line's parser (typer, with
click under it) would load before the port opens for nothing to parse. Every other command,
`rapport run --help` included, goes through the command line (bot/wiring/cli.py).
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["run"]:
        from bot.wiring.run_command import run

        sys.exit(run())
    from bot.wiring.cli import app

    app()


if __name__ == "__main__":
    main()

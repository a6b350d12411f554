"""The failure of a platform configured without its SDK, in a module of its own: `rapport run`
catches it (bot/wiring/run_command.py) without loading the platforms' settings before its
port opens; bot/wiring/platforms.py raises it."""


class MissingSdk(Exception):
    """A platform's credentials are set, but its SDK (an extra of the package) is not there."""

"""The Slack app manifest declares a slash command for every command the bot answers."""

from pathlib import Path

import yaml

from bot.config import Settings
from handlers import build_router

MANIFEST = Path(__file__).parents[3] / "manifest.yml"


def test_every_bot_command_has_a_slash_command() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    declared = {entry["command"].lstrip("/") for entry in manifest["features"]["slash_commands"]}
    mapping = Settings(_env_file=None).slack_commands  # type: ignore[call-arg]
    reachable = {mapping.get(name, name) for name in declared}
    wanted = set(build_router().commands) - {"help"}  # `help` is `/rapport help` on Slack
    assert wanted <= reachable, f"missing from manifest.yml: {sorted(wanted - reachable)}"

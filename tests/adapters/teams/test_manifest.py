"""The Teams app package in the repository: valid, and listing every command the bot has."""

import json
import struct
from pathlib import Path

from handlers import build_router

PACKAGE = Path(__file__).parents[3] / "adapters" / "teams" / "manifest"


def test_manifest_lists_every_command_within_teams_limits() -> None:
    manifest = json.loads((PACKAGE / "manifest.json").read_text())
    (bot,) = manifest["bots"]
    assert bot["botId"] == manifest["webApplicationInfo"]["id"]
    commands = build_router().commands
    for command_list in bot["commandLists"]:
        listed = [c["title"] for c in command_list["commands"]]
        assert len(listed) <= 10  # Teams shows at most 10 commands per list
        # Teams shows these in its command menu: none may be missing from it.
        assert set(commands) <= set(listed)
        assert all(len(c["description"]) <= 128 for c in command_list["commands"])
    assert "kudos" in listed


def test_icons_have_the_sizes_teams_requires() -> None:
    manifest = json.loads((PACKAGE / "manifest.json").read_text())
    for kind, size in (("color", 192), ("outline", 32)):
        header = (PACKAGE / manifest["icons"][kind]).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (size, size)

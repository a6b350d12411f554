"""The Slack app manifest declares what the bot answers: commands, shortcuts, scopes, events."""

from pathlib import Path

import yaml

from adapters.slack import inbound, oauth
from adapters.slack.settings import SECTION as SLACK
from handlers import build_router
from handlers.help import advertised

MANIFEST = Path(__file__).parents[3] / "manifest.yml"


def test_the_manifest_registers_exactly_what_help_advertises() -> None:
    """Every command the help overview lists is a slash command, and no slash command is
    missing from it (`help` itself is `/rapport help` on Slack, and is not listed)."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    declared = {entry["command"].lstrip("/") for entry in manifest["features"]["slash_commands"]}
    mapping = SLACK.from_environment(env_file=None).commands
    reachable = {mapping.get(name, name) for name in declared}
    assert reachable == set(advertised(build_router()))
    assert "help" in build_router().commands  # still typed in a DM, or on Discord


def test_oauth_asks_for_the_manifest_scopes() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    assert sorted(oauth.BOT_SCOPES) == sorted(manifest["oauth_config"]["scopes"]["bot"])
    assert oauth.REDIRECT_PATH in manifest["oauth_config"]["redirect_urls"][0]


def test_message_shortcuts_reach_a_message_action() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    shortcuts = [s for s in manifest["features"]["shortcuts"] if s["type"] == "message"]
    names = {s["callback_id"].removeprefix(inbound.SHORTCUT_PREFIX) for s in shortcuts}
    assert names and names <= set(build_router().message_actions)
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]

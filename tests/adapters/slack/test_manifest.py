"""The Slack app manifest declares what the bot answers: commands, shortcuts, scopes, events."""

from pathlib import Path

import yaml

from adapters.slack import inbound, oauth
from bot.wiring.config import Settings
from handlers import build_router

MANIFEST = Path(__file__).parents[3] / "manifest.yml"


def test_every_bot_command_has_a_slash_command() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    declared = {entry["command"].lstrip("/") for entry in manifest["features"]["slash_commands"]}
    mapping = Settings(_env_file=None).slack_commands  # type: ignore[call-arg]
    reachable = {mapping.get(name, name) for name in declared}
    wanted = set(build_router().commands) - {"help"}  # `help` is `/rapport help` on Slack
    assert wanted <= reachable, f"missing from manifest.yml: {sorted(wanted - reachable)}"


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

"""Which platforms besides the local one are configured, and their SDKs.

An adapter package, and the SDK under it, is imported only when its platform's credentials
are set; this module reads only their settings, so that `rapport run` can tell a missing SDK
without loading anything heavy (bot/wiring/serve.py imports the adapters in a thread).
"""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from adapters.discord.settings import discord_settings
from adapters.slack.settings import slack_settings
from adapters.teams.settings import teams_settings
from bot.wiring.config import Settings
from bot.wiring.missing_sdk import MissingSdk

# Each platform: its extra and the top-level modules its SDK brings.
SDKS = {
    "slack": {"slack_bolt", "slack_sdk"},
    "teams": {"microsoft_agents"},
    "discord": {"discord", "emoji"},
}
# Each platform's module whose import brings its SDK.
MODULES = {
    "slack": "adapters.slack.app",
    "teams": "adapters.teams.app",
    "discord": "adapters.discord.connect",
}


@contextmanager
def sdk_of(platform: str) -> Iterator[None]:
    """Imports under it that miss `platform`'s SDK raise MissingSdk."""
    try:
        yield
    except ModuleNotFoundError as missing:
        if (missing.name or "").split(".")[0] not in SDKS[platform]:
            raise
        raise MissingSdk(
            f"{platform} credentials are set, but its SDK is not installed "
            f'({missing.name}): pip install "rapport[{platform}]"'
        ) from missing


def configured_platforms(settings: Settings) -> set[str]:
    """The platforms besides the local one whose credentials are set."""
    teams = teams_settings(settings)
    wanted = {
        "slack": slack_settings(settings).configured(),
        "teams": bool(teams.client_id or teams.anonymous_allowed),
        "discord": bool(discord_settings(settings).token),
    }
    return {platform for platform, on in wanted.items() if on}


def import_platforms(settings: Settings) -> None:
    """Import the adapter, and its SDK, of each configured platform, as `assemble` will;
    MissingSdk for one configured without its SDK."""
    for platform in sorted(configured_platforms(settings)):
        with sdk_of(platform):
            importlib.import_module(MODULES[platform])


def oauth_tokens_unsealed(settings: Settings) -> bool:
    """Whether the bot tokens of Slack's OAuth installs would be stored unencrypted."""
    from bot.store.secrets_at_rest import Sealer

    keys = Sealer.from_setting(settings.token_encryption_keys)
    return bool(slack_settings(settings).client_id) and not keys.sealing

"""The Discord adapter's settings: the bot's token and what it may read. They hold for the
whole deployment under the names they have always had (DISCORD_* in .env.example); no
workspace changes them in chat."""

from typing import Annotated

from pydantic import BaseModel

from bot.kit.feature_settings import EnvName, Section
from bot.wiring.config import Settings


class DiscordSettings(BaseModel):
    # The bot user's token: with it, the gateway client runs beside the server.
    token: Annotated[str, EnvName("DISCORD_TOKEN")] = ""
    # Privileged intents, switched on in the developer portal too: message text, and the
    # member list (rosters, departments).
    message_content: Annotated[bool, EnvName("DISCORD_MESSAGE_CONTENT")] = False
    members_intent: Annotated[bool, EnvName("DISCORD_MEMBERS_INTENT")] = False
    # Role names that are departments, comma-separated: a member's department is the first
    # of these they hold (the people directory; needs the members intent).
    department_roles: Annotated[str, EnvName("DISCORD_DEPARTMENT_ROLES")] = ""
    # Another Discord API (a local fake in tests); empty: Discord's own.
    api_base_url: Annotated[str, EnvName("DISCORD_API_BASE_URL")] = ""


SECTION = Section("discord", DiscordSettings)


def discord_settings(settings: Settings) -> DiscordSettings:
    return settings.features.of(SECTION)

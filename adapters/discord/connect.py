"""Wiring for the entry points: a client and its platform from settings, and running it."""

from dataclasses import dataclass

import discord.http

from adapters.discord.acks import Acks
from adapters.discord.client import RapportClient
from adapters.discord.platform import DiscordPlatform
from adapters.discord.settings import discord_settings
from bot.contract.app import Bot
from bot.delivery.intake import Intake
from bot.wiring.config import Settings


@dataclass
class DiscordConnection:
    client: RapportClient
    platform: DiscordPlatform
    token: str

    async def run(self) -> None:
        """Log in, connect to the gateway and serve until cancelled (reconnecting as needed)."""
        async with self.client:
            await self.client.start(self.token)


def use_api_base(url: str) -> None:
    """Point discord.py's REST calls (and webhook follow-ups, which share its routes) at a
    Discord-compatible server instead of discord.com. It is process-wide: discord.py keeps the
    base on its Route class."""
    discord.http.Route.BASE = url.rstrip("/")


def connect(bot: Bot, settings: Settings, intake: Intake) -> DiscordConnection:
    """Build the client and register its platform with the bot (before the outbox starts)."""
    chosen = discord_settings(settings)
    if chosen.api_base_url:
        use_api_base(chosen.api_base_url)
    acks = Acks()
    client = RapportClient(
        bot,
        acks,
        intake,
        message_content=chosen.message_content,
        members=chosen.members_intent,
    )
    platform = DiscordPlatform(client, acks)
    bot.platforms[platform.name] = platform
    return DiscordConnection(client, platform, chosen.token)

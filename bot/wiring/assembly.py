"""Builds a running bot from settings: the database, the bot, its runtime and the local platform,
and each other platform's adapter when its credentials are set.

An adapter package, and the SDK under it, is imported only then: a bot on the local platform
alone starts without loading Slack, Teams or Discord code.

Shared by the CLI and the tests so that both run exactly the same wiring.
"""

import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adapters.discord.settings import discord_settings
from adapters.local.platform import LocalPlatform
from adapters.local.shell import LocalShell
from adapters.slack.settings import slack_settings
from adapters.teams.settings import teams_settings
from bot.contract.app import Bot
from bot.contract.router import Router
from bot.delivery.intake import Intake
from bot.store.db import Database, make_engine
from bot.time.clock import Clock
from bot.time.runtime import Runtime
from bot.wiring.config import Settings
from bot.wiring.demo import seed_demo

if TYPE_CHECKING:
    from adapters.discord.connect import DiscordConnection
    from adapters.slack import SlackAdapter
    from adapters.teams import TeamsAdapter


@dataclass
class Assembly:
    db: Database
    bot: Bot
    runtime: Runtime
    shell: LocalShell
    slack: "SlackAdapter | None" = None
    teams: "TeamsAdapter | None" = None
    discord: "DiscordConnection | None" = None

    async def close(self) -> None:
        # The inbound events under way finish first: they may still call a platform.
        await self.runtime.intake.close()
        if self.discord is not None:
            await self.discord.client.close()
        if self.slack is not None:
            await self.slack.close()
        await self.db.dispose()


class MissingSdk(Exception):
    """A platform's credentials are set, but its SDK (an extra of the package) is not there."""


# Each platform: its extra and the top-level modules its SDK brings.
SDKS = {
    "slack": {"slack_bolt", "slack_sdk"},
    "teams": {"microsoft_agents"},
    "discord": {"discord", "emoji"},
}


@contextmanager
def _sdk_of(platform: str) -> Iterator[None]:
    try:
        yield
    except ModuleNotFoundError as missing:
        if (missing.name or "").split(".")[0] not in SDKS[platform]:
            raise
        raise MissingSdk(
            f"{platform} credentials are set, but its SDK is not installed "
            f'({missing.name}): pip install "rapport[{platform}]"'
        ) from missing


def replica_name(settings: Settings) -> str:
    return settings.replica_id or f"{socket.gethostname()}-{secrets.token_hex(3)}"


async def assemble(
    settings: Settings,
    router: Router,
    clock: Clock,
    echo: Callable[[str], None] | None,
    *,
    db: Database | None = None,
    seed: bool = True,
) -> Assembly:
    replica = replica_name(settings)
    database = db or Database(
        make_engine(
            settings.database_url,
            settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            application_name=f"rapport {replica}",
        )
    )
    if seed and settings.seed_demo:
        async with database.session() as session:
            await seed_demo(session, clock.now(), router.features)
    platform = LocalPlatform(echo=echo)
    bot = Bot(database, router, settings, clock, {"local": platform})
    runtime = Runtime(bot, replica)
    slack = _slack(bot, settings, runtime.intake)
    discord = _discord(bot, settings, runtime.intake)
    teams = _teams(bot, settings, runtime.intake)
    shell = LocalShell(bot, runtime, platform)
    await shell.start()
    return Assembly(database, bot, runtime, shell, slack, teams=teams, discord=discord)


def _slack(bot: Bot, settings: Settings, intake: Intake) -> "SlackAdapter | None":
    if not slack_settings(settings).configured():
        return None
    with _sdk_of("slack"):
        from adapters.slack import SlackAdapter

    slack = SlackAdapter(bot, settings, intake)
    bot.platforms[slack.platform.name] = slack.platform
    return slack


def _discord(bot: Bot, settings: Settings, intake: Intake) -> "DiscordConnection | None":
    if not discord_settings(settings).token:
        return None
    with _sdk_of("discord"):
        from adapters.discord.connect import connect

    return connect(bot, settings, intake)


def _teams(bot: Bot, settings: Settings, intake: Intake) -> "TeamsAdapter | None":
    connection = teams_settings(settings)
    if not (connection.client_id or connection.anonymous_allowed):
        return None
    with _sdk_of("teams"):
        from adapters.teams import TeamsAdapter

    teams = TeamsAdapter(bot, settings, intake)
    bot.platforms[teams.platform.name] = teams.platform
    return teams

"""Builds a running bot from settings: the database, the bot, its runtime and the local platform,
and each other platform's adapter when its credentials are set.

An adapter package, and the SDK under it, is imported only then (bot/wiring/platforms.py): a
bot on the local platform alone starts without loading Slack, Teams or Discord code.

Shared by the CLI and the tests so that both run exactly the same wiring.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from adapters.local.platform import LocalPlatform
from adapters.local.shell import LocalShell
from bot.contract.app import Bot
from bot.contract.router import Router
from bot.delivery.intake import Intake
from bot.store.db import Database
from bot.time.clock import Clock
from bot.time.runtime import Runtime
from bot.wiring.config import Settings
from bot.wiring.demo import seed_demo
from bot.wiring.platforms import configured_platforms, sdk_of
from bot.wiring.replica import open_database, replica_name

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


async def assemble(
    settings: Settings,
    router: Router,
    clock: Clock,
    echo: Callable[[str], None] | None,
    *,
    db: Database | None = None,
    seed: bool = True,
    intake: Intake | None = None,
) -> Assembly:
    """`db` and `intake`: opened before the features loaded (`rapport run`), else opened here."""
    replica = replica_name(settings)
    database = db or open_database(settings, replica)
    if seed and settings.seed_demo:
        async with database.session() as session:
            await seed_demo(session, clock.now(), router.features)
    platform = LocalPlatform(echo=echo)
    bot = Bot(database, router, settings, clock, {"local": platform})
    runtime = Runtime(bot, replica, intake)
    slack = _slack(bot, settings, runtime.intake)
    discord = _discord(bot, settings, runtime.intake)
    teams = _teams(bot, settings, runtime.intake)
    shell = LocalShell(bot, runtime, platform)
    await shell.start()
    return Assembly(database, bot, runtime, shell, slack, teams=teams, discord=discord)


def _slack(bot: Bot, settings: Settings, intake: Intake) -> "SlackAdapter | None":
    if "slack" not in configured_platforms(settings):
        return None
    with sdk_of("slack"):
        from adapters.slack import SlackAdapter

    slack = SlackAdapter(bot, settings, intake)
    bot.platforms[slack.platform.name] = slack.platform
    return slack


def _discord(bot: Bot, settings: Settings, intake: Intake) -> "DiscordConnection | None":
    if "discord" not in configured_platforms(settings):
        return None
    with sdk_of("discord"):
        from adapters.discord.connect import connect

    return connect(bot, settings, intake)


def _teams(bot: Bot, settings: Settings, intake: Intake) -> "TeamsAdapter | None":
    if "teams" not in configured_platforms(settings):
        return None
    with sdk_of("teams"):
        from adapters.teams import TeamsAdapter

    teams = TeamsAdapter(bot, settings, intake)
    bot.platforms[teams.platform.name] = teams.platform
    return teams

"""The Teams adapter's own settings: its section holds only what concerns its tables, whether
or not Teams is configured (the connection settings keep the names the Agents SDK reads, in
bot/wiring/config.py)."""

from typing import Annotated

from pydantic import BaseModel, Field

from bot.kit.feature_settings import EnvName, Section
from bot.wiring.config import Settings


class TeamsSettings(BaseModel):
    # Days a message is remembered to credit reactions to it (0: for ever).
    messages_retention_days: Annotated[int, EnvName("RETENTION_TEAMS_MESSAGES_DAYS")] = Field(
        default=30, ge=0
    )


SECTION = Section("teams", TeamsSettings)


def teams_settings(settings: Settings) -> TeamsSettings:
    return settings.features.of(SECTION)

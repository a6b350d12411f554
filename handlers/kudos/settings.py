"""Kudos settings per workspace: defaults from the environment, changed by admins in chat."""

from pydantic import BaseModel, Field

from bot.config import Settings
from bot.feature_settings import load_section, save_section
from bot.models import Workspace


class KudosSettings(BaseModel):
    channel: str
    emoji: str
    daily_allowance: int = Field(ge=1, le=100)
    min_reason_length: int = Field(ge=0, le=200)
    max_reason_length: int = Field(ge=20, le=2000)
    undo_minutes: int = Field(ge=0, le=60)
    values_required: bool = False
    leaderboards: bool = True


def kudos_settings(workspace: Workspace, settings: Settings) -> KudosSettings:
    return load_section(workspace, "kudos", KudosSettings, settings)


def save_kudos_settings(workspace: Workspace, changed: KudosSettings) -> None:
    save_section(workspace, "kudos", changed)

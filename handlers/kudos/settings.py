"""Kudos settings per workspace: defaults from the environment, changed by admins in chat."""

from typing import Any

from pydantic import BaseModel, Field

from bot.config import Settings
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
    stored: dict[str, Any] = workspace.settings.get("kudos", {})
    defaults = {
        "channel": settings.kudos_channel,
        "emoji": settings.kudos_emoji,
        "daily_allowance": settings.kudos_daily_allowance,
        "min_reason_length": settings.kudos_min_reason_length,
        "max_reason_length": settings.kudos_max_reason_length,
        "undo_minutes": settings.kudos_undo_minutes,
    }
    return KudosSettings.model_validate({**defaults, **stored})


def save_kudos_settings(workspace: Workspace, changed: KudosSettings) -> None:
    # A new dict, so SQLAlchemy sees the JSON column change.
    workspace.settings = {**workspace.settings, "kudos": changed.model_dump()}

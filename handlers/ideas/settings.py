"""Ideas settings per workspace: defaults from the environment, changed by admins in chat."""

from typing import Any

from pydantic import BaseModel, Field

from bot.config import Settings
from bot.models import Workspace


class IdeasSettings(BaseModel):
    channel: str = Field(min_length=1, max_length=100)
    emoji: str = Field(min_length=1, max_length=100)
    similarity_threshold: float = Field(ge=0.05, le=1.0)
    vote_half_life_days: float = Field(gt=0, le=365)
    campaign_reminder_hours: int = Field(ge=0, le=24 * 30)


def ideas_settings(workspace: Workspace, settings: Settings) -> IdeasSettings:
    stored: dict[str, Any] = workspace.settings.get("ideas", {})
    defaults = {
        "channel": settings.ideas_channel,
        "emoji": settings.ideas_emoji,
        "similarity_threshold": settings.ideas_similarity_threshold,
        "vote_half_life_days": settings.ideas_vote_half_life_days,
        "campaign_reminder_hours": settings.ideas_campaign_reminder_hours,
    }
    return IdeasSettings.model_validate({**defaults, **stored})

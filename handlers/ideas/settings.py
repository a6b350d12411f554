"""Ideas settings: defaults from the environment (IDEAS_* in .env.example), changed per
workspace by admins in chat; this model is their one declaration, bounds included."""

from pydantic import BaseModel, Field

from bot.kit.feature_settings import Section
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.ideas.rules import TITLE_MAX


class IdeasSettings(BaseModel):
    channel: str = Field(default="ideas", min_length=1, max_length=100)
    emoji: str = Field(default="bulb", min_length=1, max_length=100)
    similarity_threshold: float = Field(default=0.3, ge=0.05, le=1.0)
    embedding_model: str = Field(default="text-embedding-3-small", min_length=1, max_length=100)
    embedding_threshold: float = Field(default=0.6, ge=0.05, le=1.0)
    vote_half_life_days: float = Field(default=14.0, gt=0, le=365)
    campaign_reminder_hours: int = Field(default=48, ge=0, le=24 * 30)
    min_title_length: int = Field(default=10, ge=1, le=TITLE_MAX)


SECTION = Section("ideas", IdeasSettings)


def ideas_settings(workspace: Workspace, settings: Settings) -> IdeasSettings:
    return SECTION.load(workspace, settings.features)

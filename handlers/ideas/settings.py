"""Ideas settings per workspace: each defaults to the environment setting `IDEAS_<NAME>`."""

from pydantic import BaseModel, Field

from bot.config import Settings
from bot.feature_settings import load_section
from bot.models import Workspace
from handlers.ideas.rules import TITLE_MAX


class IdeasSettings(BaseModel):
    channel: str = Field(min_length=1, max_length=100)
    emoji: str = Field(min_length=1, max_length=100)
    similarity_threshold: float = Field(ge=0.05, le=1.0)
    embedding_model: str = Field(min_length=1, max_length=100)
    embedding_threshold: float = Field(ge=0.05, le=1.0)
    vote_half_life_days: float = Field(gt=0, le=365)
    campaign_reminder_hours: int = Field(ge=0, le=24 * 30)
    min_title_length: int = Field(ge=1, le=TITLE_MAX)


def ideas_settings(workspace: Workspace, settings: Settings) -> IdeasSettings:
    return load_section(workspace, "ideas", IdeasSettings, settings)

"""Q&A settings: defaults from the environment (QA_* in .env.example), changed per workspace
by admins in chat; this model is their one declaration, bounds included."""

from pydantic import BaseModel, Field

from bot.kit.feature_settings import Section
from bot.models import Workspace
from bot.wiring.config import Settings


class QaSettings(BaseModel):
    channel: str = Field(default="help", min_length=1, max_length=100)
    experts_per_question: int = Field(default=3, ge=1, le=10)
    claim_working_hours: float = Field(default=4.0, gt=0, le=24 * 14)
    answer_working_days: float = Field(default=2.0, gt=0, le=60)
    similarity_threshold: float = Field(default=0.35, ge=0.05, le=1.0)
    expertise_half_life_days: float = Field(default=180.0, gt=0, le=3650)
    embedding_model: str = Field(default="text-embedding-3-small", min_length=1, max_length=100)


SECTION = Section("qa", QaSettings)


def qa_settings(workspace: Workspace, settings: Settings) -> QaSettings:
    return SECTION.load(workspace, settings.features)

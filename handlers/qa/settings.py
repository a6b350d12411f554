"""Q&A settings per workspace: defaults from the environment (QA_* in .env.example)."""

from pydantic import BaseModel, Field

from bot.config import Settings
from bot.feature_settings import load_section
from bot.models import Workspace


class QaSettings(BaseModel):
    channel: str = Field(min_length=1, max_length=100)
    experts_per_question: int = Field(ge=1, le=10)
    claim_working_hours: float = Field(gt=0, le=24 * 14)
    answer_working_days: float = Field(gt=0, le=60)
    similarity_threshold: float = Field(ge=0.05, le=1.0)
    expertise_half_life_days: float = Field(gt=0, le=3650)
    embedding_model: str = Field(min_length=1, max_length=100)


def qa_settings(workspace: Workspace, settings: Settings) -> QaSettings:
    return load_section(workspace, "qa", QaSettings, settings)

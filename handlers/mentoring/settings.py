"""Mentoring settings: defaults from the environment (MENTORING_* in .env.example), read per
workspace; this model is their one declaration, bounds included."""

from pydantic import BaseModel, Field

from bot.kit.feature_settings import Section
from bot.models import Workspace
from bot.wiring.config import Settings


class MentoringSettings(BaseModel):
    checkin_days: int = Field(default=14, ge=1, le=90)
    feedback_weeks: int = Field(default=6, ge=1, le=52)
    pause_after: int = Field(default=2, ge=1, le=10)


SECTION = Section("mentoring", MentoringSettings)


def mentoring_settings(workspace: Workspace, settings: Settings) -> MentoringSettings:
    return SECTION.load(workspace, settings.features)

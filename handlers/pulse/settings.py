"""Pulse settings: defaults from the environment (PULSE_* in .env.example), the same for every
workspace; this model is their one declaration, bounds included."""

from pydantic import BaseModel, Field

from bot.kit.feature_settings import Section
from bot.wiring.config import Settings


class PulseSettings(BaseModel):
    # Anonymity thresholds never go below 3 (DESIGN.md); scores and comments separately.
    threshold: int = Field(default=5, ge=3)
    comment_threshold: int = Field(default=5, ge=3)
    reminder_days: list[int] = Field(default_factory=lambda: [2, 4])
    close_after_days: int = Field(default=5, ge=1, le=60)
    working_hours: str = "09:00-17:00"


SECTION = Section("pulse", PulseSettings)


def pulse_settings(settings: Settings) -> PulseSettings:
    return settings.features.of(SECTION)

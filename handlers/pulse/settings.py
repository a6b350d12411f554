"""Pulse settings: defaults from the environment (PULSE_* in .env.example), the same for every
workspace; this model is their one declaration, bounds included."""

from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from bot.kit.feature_settings import EnvName, Section
from bot.kit.hours_text import just_hours
from bot.wiring.config import Settings


class PulseSettings(BaseModel):
    # Anonymity thresholds never go below 3 (DESIGN.md); scores and comments separately.
    threshold: int = Field(default=5, ge=3)
    comment_threshold: int = Field(default=5, ge=3)
    # Days after a run opens; those on or after a survey's close are dropped for that survey.
    reminder_days: list[int] = Field(default_factory=lambda: [2, 4])
    close_after_days: int = Field(default=5, ge=1, le=60)
    working_hours: str = "09:00-17:00"
    # Days the words of survey comments are kept (0: for ever); the scores stay for trends.
    comments_retention_days: Annotated[int, EnvName("RETENTION_SURVEY_COMMENTS_DAYS")] = Field(
        default=730, ge=0
    )

    @field_validator("reminder_days")
    @classmethod
    def _days_after_opening(cls, days: list[int]) -> list[int]:
        if len(days) > 5 or any(not 1 <= day <= 59 for day in days):
            raise ValueError("it must list at most 5 days, each a whole number from 1 to 59")
        return sorted(set(days))

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, text: str) -> str:
        try:
            start, end = just_hours(text)
            if start < end:
                return text
        except ValueError:
            pass
        raise ValueError("it must be working hours like 09:00-17:00, the start before the end")


SECTION = Section("pulse", PulseSettings)


def pulse_settings(settings: Settings) -> PulseSettings:
    return settings.features.of(SECTION)

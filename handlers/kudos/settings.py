"""Kudos settings: defaults from the environment (KUDOS_* in .env.example), changed per
workspace by admins in chat; this model is their one declaration, bounds included."""

from typing import Annotated

from pydantic import BaseModel, Field

from bot.kit.feature_settings import CHAT_ONLY, Section
from bot.models import Workspace
from bot.wiring.config import Settings


class KudosSettings(BaseModel):
    channel: str = "kudos"
    emoji: str = "tada"
    daily_allowance: int = Field(default=5, ge=1, le=100)
    min_reason_length: int = Field(default=10, ge=0, le=200)
    max_reason_length: int = Field(default=1000, ge=20, le=2000)
    undo_minutes: int = Field(default=5, ge=0, le=60)
    values_required: Annotated[bool, CHAT_ONLY] = False
    leaderboards: Annotated[bool, CHAT_ONLY] = True


SECTION = Section("kudos", KudosSettings)


def kudos_settings(workspace: Workspace, settings: Settings) -> KudosSettings:
    return SECTION.load(workspace, settings.features)


def save_kudos_settings(workspace: Workspace, changed: KudosSettings) -> None:
    SECTION.save(workspace, changed)

"""Digest settings per workspace: where it is posted, and when (DIGEST_* in .env.example)."""

import re
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from bot.kit.feature_settings import CHAT_ONLY, Section
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.digest.i18n import _

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class DigestSettings(BaseModel):
    """`channels` get the digest; the time is local to the workspace's time zone."""

    enabled: Annotated[bool, CHAT_ONLY] = False
    channels: Annotated[list[str], CHAT_ONLY] = Field(default_factory=list, max_length=10)
    day: str = "mon"
    time: str = "09:00"

    @field_validator("day")
    @classmethod
    def _day(cls, day: str) -> str:
        day = day.strip().lower()[:3]
        if day not in DAYS:
            raise ValueError(_("day must be one of {days}").format(days=", ".join(DAYS)))
        return day

    @field_validator("time")
    @classmethod
    def _time(cls, time: str) -> str:
        hour, minute = parse_time(time)
        return f"{hour:02d}:{minute:02d}"


def parse_time(text: str) -> tuple[int, int]:
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(_("time must be HH:MM, like 09:00"))
    return int(match[1]), int(match[2])


SECTION = Section("digest", DigestSettings)


def digest_settings(workspace: Workspace, settings: Settings) -> DigestSettings:
    return SECTION.load(workspace, settings.features)


def save_digest_settings(workspace: Workspace, changed: DigestSettings) -> None:
    SECTION.save(workspace, changed)

"""The dashboard's settings: they hold for the whole server, never per workspace, so each
keeps the environment name it has always had (`EnvName`; DASHBOARD_* and
RETENTION_DASHBOARD_LINKS_DAYS in .env.example); this model is their one declaration."""

from typing import Annotated

from pydantic import BaseModel, Field

from bot.kit.feature_settings import EnvName, Section
from bot.wiring.config import Settings


class DashboardSettings(BaseModel):
    # How long a sign-in link works, and a session once signed in.
    link_minutes: Annotated[int, EnvName("DASHBOARD_LINK_MINUTES")] = Field(
        default=15, ge=1, le=1440
    )
    session_minutes: Annotated[int, EnvName("DASHBOARD_SESSION_MINUTES")] = Field(
        default=60, ge=1, le=1440
    )
    # The key signing session cookies; empty: a random one per process, so with several
    # replicas every one needs the same.
    secret: Annotated[str, EnvName("DASHBOARD_SECRET")] = ""
    # Days a used or expired sign-in link is kept (0: for ever).
    links_retention_days: Annotated[int, EnvName("RETENTION_DASHBOARD_LINKS_DAYS")] = Field(
        default=7, ge=0
    )


SECTION = Section("dashboard", DashboardSettings)


def dashboard_settings(settings: Settings) -> DashboardSettings:
    return settings.features.of(SECTION)

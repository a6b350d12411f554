from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field


class Workspace(SQLModel, table=True):
    """A Slack team, Teams tenant, Discord guild or local workspace."""

    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    external_id: str = Field(max_length=255)
    name: str = Field(default="", max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    settings: dict[str, Any] = json_field()
    created_at: datetime = utc_field()

from typing import Any, Literal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, status_field, utc_field

DueStatus = Literal["pending", "done", "failed"]


class Schedule(SQLModel, table=True):
    """A recurring or one-off trigger; the source of truth for what should fire when.

    `trigger` is {"type": "cron", ...cron fields} | {"type": "interval", "weeks"...,
    "start": iso} | {"type": "date", "at": iso}; fire times are computed in `timezone`.
    """

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    kind: str = Field(max_length=100)
    name: str = Field(default="", max_length=200)
    trigger: dict[str, Any] = json_field()
    timezone: str = Field(default="UTC", max_length=64)
    payload: dict[str, Any] = json_field()
    enabled: bool = True
    next_fire_at: datetime | None = utc_field(nullable=True, index=True)
    last_period: str | None = Field(default=None, max_length=40)
    created_at: datetime = utc_field()


class DueWork(SQLModel, table=True):
    """One unit of work a firing created, claimed and run by any replica exactly once."""

    __tablename__ = "due_work"
    __table_args__ = (UniqueConstraint("schedule_id", "period", "recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="schedule.id", index=True)
    period: str = Field(max_length=40)
    recipient: str = Field(default="", max_length=100)
    kind: str = Field(max_length=100)
    payload: dict[str, Any] = json_field()
    status: DueStatus = status_field("pending", 10, index=True)
    run_at: datetime = utc_field(index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
    done_at: datetime | None = utc_field(nullable=True)

from datetime import date
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field


class ProcessedEvent(SQLModel, table=True):
    """An inbound delivery already handled: a platform retry of it is ignored."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    event_id: str = Field(max_length=200)
    received_at: datetime = utc_field(index=True)


class InboundEvent(SQLModel, table=True):
    """An inbound delivery stored before the platform got its acknowledgement, until handled.

    `kind` names the worker that handles `payload` (an adapter's own, or the neutral event's);
    `workspace` and `actor` (platform ids) let an erasure find a person's waiting rows. A row
    is leased to the replica working it (`lease_owner` until `lease_until`); a row whose lease
    ran out, its replica gone, is claimed by another. Deleted once handled; a row that failed
    `attempts` times is left dead, for retention to purge.
    """

    __tablename__ = "inbound_event"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    event_id: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    workspace: str = Field(default="", max_length=255)
    actor: str = Field(default="", max_length=255)
    payload: dict[str, Any] = json_field()
    received_on: date = Field(index=True)
    attempts: int = 0
    lease_owner: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = utc_field(nullable=True, index=True)

from typing import Any, Literal

from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, status_field, utc_field

OutboxStatus = Literal["pending", "sending", "sent", "dead"]


class OutboxMessage(SQLModel, table=True):
    """A message to deliver, written in the same transaction as the change that caused it.

    status: pending -> sending (claimed by a sender) -> sent, or dead after too many attempts
    or a permanent refusal. `update_of` names the key of an earlier message to edit in place.
    """

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    platform: str = Field(max_length=20)
    destination: dict[str, Any] = json_field()
    message: dict[str, Any] = json_field()
    update_of: str | None = Field(default=None, max_length=200)
    status: OutboxStatus = status_field("pending", 10, index=True)
    attempts: int = 0
    next_attempt_at: datetime = utc_field(index=True)
    claimed_at: datetime | None = utc_field(nullable=True)
    claimed_by: str | None = Field(default=None, max_length=100)
    sent_at: datetime | None = utc_field(nullable=True)
    platform_message_id: str | None = Field(default=None, max_length=200, index=True)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = utc_field()


class RateLimitPause(SQLModel, table=True):
    """Until when a platform (or one of its rate-limit buckets) asked us to wait.

    Kept in the database rather than in a sender's memory so that every replica waits, not
    only the one that was told: otherwise the others keep hitting the limit and each 429
    extends the wait for all. `bucket` is "" when the whole platform waits.
    """

    __tablename__ = "rate_limit_pause"

    platform: str = Field(max_length=20, primary_key=True)
    bucket: str = Field(default="", max_length=100, primary_key=True)
    until: datetime = utc_field()

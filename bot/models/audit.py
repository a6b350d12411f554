from typing import Any

from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field


class AuditEntry(SQLModel, table=True):
    """An admin action, or a read of individual-level or network data.

    `actor_id` and `subject_id` are person ids; `detail` says what was done or read.
    """

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    action: str = Field(max_length=80)
    subject_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    detail: dict[str, Any] = json_field()
    created_at: datetime = utc_field(index=True)

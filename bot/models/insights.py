from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, utc_field


class Interaction(SQLModel, table=True):
    """A weighted, time-stamped edge between two people, recorded by a feature.

    `ref` names what caused it (say "kudos:12"), so recording it again changes nothing.
    """

    __table_args__ = (UniqueConstraint("workspace_id", "kind", "ref", "source_id", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    source_id: int = Field(foreign_key="person.id", index=True)
    target_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=30)
    ref: str = Field(max_length=120)
    weight: float = 1.0
    occurred_at: datetime = utc_field(index=True)

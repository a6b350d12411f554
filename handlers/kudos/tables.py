"""Kudos' tables: the company values and the kudos given."""

from typing import Literal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, status_field, utc_field

# How the kudos was given: a /kudos command, or the kudos emoji on someone's message.
KudosSource = Literal["command", "reaction"]


class CompanyValue(SQLModel, table=True):
    __tablename__ = "company_value"
    __table_args__ = (UniqueConstraint("workspace_id", "tag"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    tag: str = Field(max_length=40)
    description: str = Field(default="", max_length=300)


class Kudos(SQLModel, table=True):
    """One recognition from a giver to one receiver; a `/kudos` to several shares a batch.

    `source_ref` is the reacted-to message for reaction kudos, so reacting twice (or a
    platform retry) never counts twice.
    """

    __table_args__ = (UniqueConstraint("giver_id", "receiver_id", "source_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    batch: str = Field(max_length=64, index=True)
    giver_id: int = Field(foreign_key="person.id", index=True)
    receiver_id: int = Field(foreign_key="person.id", index=True)
    reason: str = Field(max_length=2000)
    value: str | None = Field(default=None, max_length=40)
    source: KudosSource = status_field("command", 20)
    source_ref: str | None = Field(default=None, max_length=200)
    announcement_key: str | None = Field(default=None, max_length=200)
    notice_key: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc_field(index=True)

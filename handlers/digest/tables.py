"""The digest's one table: who its public highlights featured, so that next week's rotate."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, utc_field


class DigestFeatured(SQLModel, table=True):
    """A person named in the highlights of the digest posted for the week ending `week_end`.
    Kept a few weeks only (handlers.digest.highlights.KEEP_DAYS): rotation looks one back."""

    __tablename__ = "digest_featured"
    __table_args__ = (UniqueConstraint("workspace_id", "week_end", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    week_end: datetime = utc_field(index=True)

"""The people directory's own table: what an identity provider knows a person by."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import utc_field


class ScimUser(SQLModel, table=True):
    """A person as provisioned over SCIM: the identity provider's names for them.

    The SCIM resource id is `person_id`: one person, one record, whichever source named them
    first. Deleting the SCIM user deletes this row and deactivates the person.
    """

    __tablename__ = "scim_user"
    __table_args__ = (UniqueConstraint("workspace_id", "user_name"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    user_name: str = Field(max_length=320)
    external_id: str | None = Field(default=None, max_length=255)
    created_at: datetime = utc_field()
    updated_at: datetime = utc_field()

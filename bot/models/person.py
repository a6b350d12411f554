from datetime import date
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field


class Person(SQLModel, table=True):
    """Someone in a workspace, known by their platform user id.

    `preferences` holds their personal settings (quiet hours, nudges, ...). `sources` says
    where each directory field came from (bot/kit/directory.py), so that a lesser source never
    overwrites a better one. A person an HR file or an identity provider named before the
    platform showed them waits under a pending id (`pending:<email>`) until it does.
    `active` is False once they left (on `left_on`): nothing reaches them and no audience
    counts them.
    """

    __table_args__ = (UniqueConstraint("workspace_id", "platform_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    platform_user_id: str = Field(max_length=255)
    display_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320)
    timezone: str = Field(default="UTC", max_length=64)
    department: str | None = Field(default=None, max_length=200)
    manager_id: int | None = Field(default=None, foreign_key="person.id")
    location: str | None = Field(default=None, max_length=200)
    active: bool = True
    # The day they left, no finer: retention clears what the directory held about them.
    left_on: date | None = None
    sources: dict[str, str] = json_field()
    roles: list[str] = json_field(list)
    preferences: dict[str, Any] = json_field()
    is_bot: bool = False
    created_at: datetime = utc_field()

    def has_role(self, role: str) -> bool:
        return role in self.roles

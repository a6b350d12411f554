"""The dashboard's table: one-time sign-in links."""

from sqlmodel import Field, SQLModel

from bot.models.base import datetime, utc_field


class DashboardLink(SQLModel, table=True):
    """A one-time sign-in link to the dashboard; only a hash of its token is kept."""

    __tablename__ = "dashboard_link"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = utc_field()
    used_at: datetime | None = utc_field(nullable=True)

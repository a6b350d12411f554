"""What the Slack adapter keeps: each workspace's install (OAuth) and the teams of
Enterprise Grid orgs."""

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, utc_field


class Installation(SQLModel, table=True):
    """The bot's credentials in one workspace, from that workspace's install (OAuth).

    One row per workspace: a reinstall (new scopes, a new token) replaces the row.
    `installer_id` is the platform user who installed. With token rotation switched on in
    the app's config, the bot token expires (`bot_token_expires_at`) and `bot_refresh_token`
    (sealed at rest like the bot token) gets the next one; both are empty without it.
    """

    __table_args__ = (UniqueConstraint("platform", "enterprise_id", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    enterprise_id: str = Field(default="", max_length=255)
    external_id: str = Field(max_length=255)
    name: str = Field(default="", max_length=200)
    app_id: str = Field(default="", max_length=255)
    bot_token: str = Field(max_length=500)
    bot_id: str = Field(default="", max_length=255)
    bot_user_id: str = Field(default="", max_length=255)
    scopes: str = Field(default="", max_length=2000)
    installer_id: str = Field(max_length=255)
    installed_at: datetime = utc_field()
    bot_refresh_token: str | None = Field(default=None, max_length=500)
    bot_token_expires_at: datetime | None = utc_field(nullable=True)


class SlackGridTeam(SQLModel, table=True):
    """A Slack team (workspace) that belongs to an Enterprise Grid org.

    An org-wide install has one token for every team of the org, and Slack's events name both
    the team and its org. A delivery names only its workspace (the team), so the link is kept
    here, written the first time an event from the team is seen, to find the org's token.
    """

    __tablename__ = "slack_grid_team"

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=255, unique=True)
    enterprise_id: str = Field(max_length=255)

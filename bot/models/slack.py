"""What the Slack adapter must remember about Enterprise Grid orgs."""

from sqlmodel import Field, SQLModel


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

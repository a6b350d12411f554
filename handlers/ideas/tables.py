"""Ideas' tables: campaigns, ideas, their co-authors and votes."""

from typing import Literal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, status_field, utc_field

Stage = Literal[
    "draft", "new", "under_review", "planned", "in_progress", "done", "declined", "merged"
]


class Campaign(SQLModel, table=True):
    """A question a community manager asks the workspace, open for ideas until `closes_at`."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    question: str = Field(max_length=300)
    channel: str = Field(max_length=100)
    opened_by_id: int = Field(foreign_key="person.id")
    closes_at: datetime = utc_field()
    closed_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field()


class Idea(SQLModel, table=True):
    """An idea and where it stands.

    stage: draft (held back while its author looks at similar ideas) -> new -> under_review ->
    planned -> in_progress -> done, or declined, or merged (into `merged_into_id`).
    `message_key` is the outbox key of the channel post that vote counts edit in place.
    `source_ref` is the chat message an idea reaction turned into this idea, so a second
    reaction (or a retry, or two people at once) never makes a second idea of it.
    """

    __table_args__ = (UniqueConstraint("workspace_id", "source_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    author_id: int = Field(foreign_key="person.id", index=True)
    campaign_id: int | None = Field(default=None, foreign_key="campaign.id", index=True)
    title: str = Field(max_length=200)
    details: str = Field(default="", max_length=4000)
    stage: Stage = status_field("new", 20, index=True)
    decline_reason: str | None = Field(default=None, max_length=1000)
    merged_into_id: int | None = Field(default=None, foreign_key="idea.id")
    channel: str = Field(max_length=100)
    message_key: str | None = Field(default=None, max_length=200)
    source_ref: str | None = Field(default=None, max_length=200)
    created_at: datetime = utc_field(index=True)
    stage_changed_at: datetime = utc_field()


class IdeaAuthor(SQLModel, table=True):
    """A co-author of an idea: credited when their duplicate was merged into it."""

    __tablename__ = "idea_author"
    __table_args__ = (UniqueConstraint("idea_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)


class IdeaVote(SQLModel, table=True):
    """One person's vote on one idea: the unique key makes a second vote impossible.

    A withdrawn vote keeps its row (`active` false) so that `changed_at` can tell a double
    click from a deliberate second click; `changed_at` is also the vote's age for ranking.
    """

    __tablename__ = "idea_vote"
    __table_args__ = (UniqueConstraint("idea_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    active: bool = True
    changed_at: datetime = utc_field()

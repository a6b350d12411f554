"""Q&A's tables: questions, where they were routed, answers, and each expert's topics and hours."""

from typing import Literal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, status_field, utc_field

QuestionStatus = Literal["suggested", "open", "claimed", "answered", "accepted", "solved"]
RouteStatus = Literal["pending", "claimed", "declined", "expired", "closed"]
AnswerStatus = Literal["sent", "accepted", "unhelpful"]


class Question(SQLModel, table=True):
    """A question and where it stands.

    status: suggested (the asker is looking at similar answered questions) -> open (routed to
    experts, unclaimed) -> claimed -> answered (waiting for the asker's verdict) -> accepted;
    or solved (a suggested answer was enough). An unhelpful answer sends it back to open.
    `asker_id` is kept even for anonymous questions so the answer can reach the asker; it is
    never rendered for anyone else. `channel_key` is the outbox key of the help-channel post.
    A question asked in a channel (not anonymously) is answered there, in a thread: `thread`
    is the platform's thread it was asked in, if any; else `thread_key` is the outbox key of
    our post of the question in `origin_channel`, which opens the thread.
    """

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    asker_id: int = Field(foreign_key="person.id", index=True)
    anonymous: bool = False
    text: str = Field(max_length=2000)
    topics: list[str] = json_field(list)
    status: QuestionStatus = status_field("open", 20, index=True)
    claimed_by_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    claimed_at: datetime | None = utc_field(nullable=True)
    channel_key: str | None = Field(default=None, max_length=200)
    origin_channel: str | None = Field(default=None, max_length=255)
    thread: str | None = Field(default=None, max_length=255)
    thread_key: str | None = Field(default=None, max_length=200)
    posted_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(index=True)
    closed_at: datetime | None = utc_field(nullable=True)


class QuestionRoute(SQLModel, table=True):
    """One expert asked about one question by DM; the unique key asks nobody twice.

    status: pending -> claimed | declined | expired (nobody claimed within the claim window in
    the expert's working hours) | closed (someone else claimed). `message_key` is the outbox
    key of the DM, edited when the question moves on.
    """

    __tablename__ = "question_route"
    __table_args__ = (UniqueConstraint("question_id", "expert_id"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    expert_id: int = Field(foreign_key="person.id", index=True)
    status: RouteStatus = status_field("pending", 20)
    message_key: str | None = Field(default=None, max_length=200)
    routed_at: datetime = utc_field()
    due_at: datetime = utc_field()
    decided_at: datetime | None = utc_field(nullable=True)


class Answer(SQLModel, table=True):
    """An answer by the claimer; status: sent -> accepted | unhelpful (the asker's verdict)."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    answerer_id: int = Field(foreign_key="person.id", index=True)
    text: str = Field(max_length=4000)
    status: AnswerStatus = status_field("sent", 20)
    created_at: datetime = utc_field()
    decided_at: datetime | None = utc_field(nullable=True, index=True)


class ExpertTopic(SQLModel, table=True):
    """A topic someone declared they can answer questions about."""

    __tablename__ = "expert_topic"
    __table_args__ = (UniqueConstraint("person_id", "topic"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    topic: str = Field(max_length=60)
    created_at: datetime = utc_field()


class ExpertProfile(SQLModel, table=True):
    """An expert's availability: away (until `away_until`, or until they are back); without a
    profile: available. Working hours are the person's own (bot.kit.preferences)."""

    __tablename__ = "expert_profile"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    away: bool = False
    away_until: datetime | None = utc_field(nullable=True)

"""Mentoring's tables: profiles, the people someone asked not to be matched with, and pairs."""

from typing import Any, Literal

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, status_field, utc_field

PairStatus = Literal["proposed", "active", "declined", "paused", "ended"]
# What someone offers or seeks: mentoring, being mentored, or both.
MentoringRole = Literal["mentor", "mentee", "both"]
# A side's answer to a proposed match.
Answer = Literal["accepted", "declined"]


class MentorProfile(SQLModel, table=True):
    """What someone offers or seeks as a mentor or mentee.

    role: mentor, mentee or both. `skills` are what a mentor offers, `goals` what a mentee
    seeks, both as normalised lower-case tags so that matching compares like with like.
    """

    __tablename__ = "mentor_profile"
    __table_args__ = (UniqueConstraint("person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: MentoringRole = Field(sa_type=String(10))
    skills: list[str] = json_field(list)
    goals: list[str] = json_field(list)
    availability: str = Field(default="", max_length=200)
    capacity: int = 2
    active: bool = True
    updated_at: datetime = utc_field()


class MentorAvoid(SQLModel, table=True):
    """`person_id` asked never to be paired with `avoid_id` (it holds in both directions)."""

    __tablename__ = "mentor_avoid"
    __table_args__ = (UniqueConstraint("person_id", "avoid_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    avoid_id: int = Field(foreign_key="person.id")
    created_at: datetime = utc_field()


class MentorPair(SQLModel, table=True):
    """A mentor and a mentee matched in a round; the unique key makes a repeat impossible.

    status: proposed (introduced, awaiting both answers) -> active (both accepted), or
    declined, or paused (nobody answered the nudges). `nudges_unanswered` counts nudges in a
    row that neither side answered; `reasons` keeps why they were matched. `intro_key` is the
    outbox key of the introduction, edited in place once someone answers it.
    """

    __tablename__ = "mentor_pair"
    __table_args__ = (UniqueConstraint("mentor_id", "mentee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    mentor_id: int = Field(foreign_key="person.id", index=True)
    mentee_id: int = Field(foreign_key="person.id", index=True)
    status: PairStatus = status_field("proposed", 10, index=True)
    mentor_answer: Answer | None = Field(default=None, sa_type=String(10))
    mentee_answer: Answer | None = Field(default=None, sa_type=String(10))
    fit: float = 0.0
    reasons: dict[str, Any] = json_field()
    created_at: datetime = utc_field()
    activated_at: datetime | None = utc_field(nullable=True)
    last_nudge_at: datetime | None = utc_field(nullable=True)
    last_response_at: datetime | None = utc_field(nullable=True)
    next_nudge_at: datetime = utc_field(index=True)
    nudges_unanswered: int = 0
    met_yes: int = 0
    met_no: int = 0
    feedback_requested_at: datetime | None = utc_field(nullable=True)
    mentor_feedback: int | None = None
    mentee_feedback: int | None = None
    intro_key: str | None = Field(default=None, max_length=200)

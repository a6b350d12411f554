"""Pulse surveys: the survey, its runs, anonymous answers and the short-lived respondent list.

The anonymity rules live in the shape of these tables. `pulse_answer` has no column that can
point at a person: its id is random, it keeps the department only as a group label for
thresholded breakdowns, and its time is a date. An anonymous answer first waits as a sealed
`pulse_ballot`, written with the click; ballots move into `pulse_answer` in shuffled batches of
at least the anonymity threshold, in a transaction that touches nothing naming a person, and
the close rewrites a run's answers in a fresh random order (handlers.pulse.ballot_box).
`pulse_respondent` (targeted surveys) is the only place that knows who was asked and who has
answered; it exists for reminders and "answer once", and its rows for a run are deleted when
the run closes. Strict surveys keep no such record: `pulse_ticket` holds digests of spent
answer tickets, and no column of it names anyone.
"""

from datetime import date
from typing import Any

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.models.base import datetime, json_field, utc_field


class PulseSurvey(SQLModel, table=True):
    """What HR wrote: questions, audience and cadence. `spec` is a handlers.pulse.spec.SurveySpec.

    `schedule_id` is the recurring (or one-off) schedule that opens a run each time it fires;
    `anonymous` can be switched on at any time but never off once an answer exists.
    """

    __tablename__ = "pulse_survey"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    title: str = Field(max_length=200)
    # The language `title` and the spec's texts are written in; the spec may hold more.
    language: str = Field(default="en", max_length=8)
    spec: dict[str, Any] = json_field()
    anonymous: bool = True
    active: bool = True
    schedule_id: int | None = Field(default=None, foreign_key="schedule.id")
    created_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = utc_field()


class PulseRun(SQLModel, table=True):
    """One firing of a survey: open from `opened_at` until `closes_at` (or closed by hand).

    `invited` and `responded` are counts kept so that participation survives the deletion of
    the respondent rows at close.
    """

    __tablename__ = "pulse_run"
    __table_args__ = (UniqueConstraint("survey_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    survey_id: int = Field(foreign_key="pulse_survey.id", index=True)
    period: str = Field(max_length=40)
    opened_at: datetime = utc_field()
    closes_at: datetime = utc_field()
    closed_at: datetime | None = utc_field(nullable=True)
    invited: int = 0
    responded: int = 0
    # Signs the answer tickets of strict surveys (handlers.pulse.tickets); sealed with
    # TOKEN_ENCRYPTION_KEYS when set, and cleared at close, when no ticket is taken any more.
    ticket_key: str | None = Field(default=None, sa_type=Text)


class PulseAnswer(SQLModel, table=True):
    """One answer to one question. Deliberately unlinkable: see the module docstring."""

    __tablename__ = "pulse_answer"

    id: str = Field(primary_key=True, max_length=32)
    run_id: int = Field(foreign_key="pulse_run.id", index=True)
    question: int
    department: str = Field(default="", max_length=200)
    score: int | None = None
    choice: str | None = Field(default=None, max_length=200)
    comment: str | None = Field(default=None, max_length=2000)
    day: date


class PulseBallot(SQLModel, table=True):
    """An anonymous answer waiting to be moved, shuffled, into `pulse_answer`.

    `sealed` is the answer's columns as JSON, sealed with TOKEN_ENCRYPTION_KEYS when set. The
    row is written in the click's transaction, so while it waits it can be lined up with that
    click (docs/threat-model.md says what a database reader learns, and for how long).
    """

    __tablename__ = "pulse_ballot"

    id: str = Field(primary_key=True, max_length=32)
    run_id: int = Field(foreign_key="pulse_run.id", index=True)
    question: int
    sealed: str = Field(sa_type=Text)


class PulseTicket(SQLModel, table=True):
    """A spent answer ticket of a strict survey: a digest of the ticket and question only.

    Tickets travel in the invitation's buttons (handlers.pulse.tickets) and the bot keeps no
    list of who got which, so a digest says that someone answered, never who.
    """

    __tablename__ = "pulse_ticket"

    digest: str = Field(primary_key=True, max_length=64)
    run_id: int = Field(foreign_key="pulse_run.id", index=True)


class PulseAttribution(SQLModel, table=True):
    """Who gave an answer, for attributed (non-anonymous) surveys only."""

    __tablename__ = "pulse_attribution"
    __table_args__ = (UniqueConstraint("answer_id"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: str = Field(foreign_key="pulse_answer.id", max_length=32)
    person_id: int = Field(foreign_key="person.id", index=True)


class PulseRespondent(SQLModel, table=True):
    """Someone asked in a run, and which questions they have answered (not what they said).

    Reminders go to rows with no answers; a second answer to a question is refused. Kept for
    targeted surveys only, and deleted when the run closes.
    """

    __tablename__ = "pulse_respondent"
    __table_args__ = (UniqueConstraint("run_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="pulse_run.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    answered: list[int] = json_field(list)


class ChannelMember(SQLModel, table=True):
    """Someone seen posting in a channel: a channel's audience where the platform gives no
    member list (the local platform). Adapters with member lists can fill it too."""

    __tablename__ = "channel_member"
    __table_args__ = (UniqueConstraint("workspace_id", "channel", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    channel: str = Field(max_length=100)
    person_id: int = Field(foreign_key="person.id")
    seen_on: date

"""pulse_ballot, pulse_ticket: anonymous answers wait as ballots and move in shuffled batches

Revision ID: 0018
Revises: 0017

Answers stored so far are rewritten in a random order, so that their storage order (rowid on
SQLite, ctid on PostgreSQL) no longer repeats the order people answered in; their values, and
so every result, stay the same.
"""

import random
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWER_COLUMNS = ("id", "run_id", "question", "department", "score", "choice", "comment", "day")
ANSWER = sa.table("pulse_answer", *(sa.column(name) for name in ANSWER_COLUMNS))
ATTRIBUTION = sa.table("pulse_attribution", *(sa.column(n) for n in ("answer_id", "person_id")))


def upgrade() -> None:
    op.create_table(
        "pulse_ballot",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["pulse_run.id"], name=op.f("fk_pulse_ballot_run_id_pulse_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_ballot")),
    )
    with op.batch_alter_table("pulse_ballot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_ballot_run_id"), ["run_id"], unique=False)
    op.create_table(
        "pulse_ticket",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["pulse_run.id"], name=op.f("fk_pulse_ticket_run_id_pulse_run")
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_pulse_ticket")),
    )
    with op.batch_alter_table("pulse_ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_ticket_run_id"), ["run_id"], unique=False)
    with op.batch_alter_table("pulse_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_key", sa.Text(), nullable=True))
    # The thanks for answers are deleted once sent now; their keys were kept here to delete
    # them at the close, and a key dated the click that wrote it.
    with op.batch_alter_table("pulse_respondent", schema=None) as batch_op:
        batch_op.drop_column("receipts")
    _reshuffle_answers()


def _reshuffle_answers() -> None:
    """Delete and reinsert every answer in a random order (attributions re-pointed as they
    were: the ids are kept)."""
    bind = op.get_bind()
    answers = [dict(row._mapping) for row in bind.execute(sa.select(ANSWER))]
    attributions = [dict(row._mapping) for row in bind.execute(sa.select(ATTRIBUTION))]
    if not answers:
        return
    random.SystemRandom().shuffle(answers)
    bind.execute(ATTRIBUTION.delete())
    bind.execute(ANSWER.delete())
    for start in range(0, len(answers), 500):
        bind.execute(ANSWER.insert(), answers[start : start + 500])
    if attributions:
        bind.execute(ATTRIBUTION.insert(), attributions)


def downgrade() -> None:
    with op.batch_alter_table("pulse_respondent", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("receipts", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table("pulse_run", schema=None) as batch_op:
        batch_op.drop_column("ticket_key")
    with op.batch_alter_table("pulse_ticket", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_ticket_run_id"))
    op.drop_table("pulse_ticket")
    with op.batch_alter_table("pulse_ballot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_ballot_run_id"))
    op.drop_table("pulse_ballot")

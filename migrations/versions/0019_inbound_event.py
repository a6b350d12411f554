"""inbound_event: every inbound delivery, stored before its acknowledgement until handled

Revision ID: 0019
Revises: 0018

A platform does not send again what it got an acknowledgement for: an event held only in
memory after the ack is lost in a crash. Stored first, any replica works it off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("workspace", sa.String(length=255), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_event")),
        sa.UniqueConstraint(
            "platform", "event_id", name=op.f("uq_inbound_event_platform_event_id")
        ),
    )
    with op.batch_alter_table("inbound_event") as batch:
        batch.create_index(batch.f("ix_inbound_event_received_on"), ["received_on"])
        batch.create_index(batch.f("ix_inbound_event_lease_until"), ["lease_until"])


def downgrade() -> None:
    op.drop_table("inbound_event")

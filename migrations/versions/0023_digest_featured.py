"""digest featured: who the weekly digest's highlights named, so that they rotate

Revision ID: 0023
Revises: 0022

The digest leaves out of its public highlights the people its last one featured, while
others qualify; it remembers them here for a few weeks.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_featured",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("week_end", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_digest_featured_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_digest_featured_workspace_id_workspace"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_featured")),
        sa.UniqueConstraint(
            "workspace_id",
            "week_end",
            "person_id",
            name=op.f("uq_digest_featured_workspace_id_week_end_person_id"),
        ),
    )
    with op.batch_alter_table("digest_featured") as batch:
        batch.create_index(batch.f("ix_digest_featured_workspace_id"), ["workspace_id"])
        batch.create_index(batch.f("ix_digest_featured_person_id"), ["person_id"])
        batch.create_index(batch.f("ix_digest_featured_week_end"), ["week_end"])


def downgrade() -> None:
    op.drop_table("digest_featured")

"""slack_grid_team: which Enterprise Grid org a Slack team belongs to

Revision ID: 0017
Revises: 0016

An org-wide install serves every team of the org with one token; deliveries name only the
team, and this link finds the org's install for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_grid_team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=255), nullable=False),
        sa.Column("enterprise_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_grid_team")),
        sa.UniqueConstraint("team_id", name=op.f("uq_slack_grid_team_team_id")),
    )


def downgrade() -> None:
    op.drop_table("slack_grid_team")

"""teams_team_member: the rosters of the teams the Teams app is installed in

Revision ID: 0022
Revises: 0021

A team's member-removed event must take the person off the team's roster, which was not
kept: the roster was read on install and each member only remembered as a person. Kept now,
someone on no team's roster and without a personal chat with the bot is out of its reach and
leaves audiences, pairing and routing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_team_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=100), nullable=False),
        sa.Column("team_id", sa.String(length=300), nullable=False),
        sa.Column("user_id", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams_team_member")),
        sa.UniqueConstraint(
            "tenant_id",
            "team_id",
            "user_id",
            name=op.f("uq_teams_team_member_tenant_id_team_id_user_id"),
        ),
    )
    with op.batch_alter_table("teams_team_member") as batch:
        batch.create_index(batch.f("ix_teams_team_member_user_id"), ["user_id"])


def downgrade() -> None:
    op.drop_table("teams_team_member")

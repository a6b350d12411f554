"""rate limit pauses shared by replicas

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 00:55:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rate_limit_pause',
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('bucket', sa.String(length=100), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'bucket', name=op.f('pk_rate_limit_pause'))
    )


def downgrade() -> None:
    op.drop_table('rate_limit_pause')

"""question thread

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 01:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin_channel', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('thread', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('thread_key', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('thread_key')
        batch_op.drop_column('thread')
        batch_op.drop_column('origin_channel')

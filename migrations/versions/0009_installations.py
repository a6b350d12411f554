"""installations: a bot token per workspace, from OAuth installs

Revision ID: 0009
Revises: 0008
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('enterprise_id', sa.String(length=255), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('app_id', sa.String(length=255), nullable=False),
    sa.Column('bot_token', sa.String(length=500), nullable=False),
    sa.Column('bot_id', sa.String(length=255), nullable=False),
    sa.Column('bot_user_id', sa.String(length=255), nullable=False),
    sa.Column('scopes', sa.String(length=2000), nullable=False),
    sa.Column('installer_id', sa.String(length=255), nullable=False),
    sa.Column('installed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation')),
    sa.UniqueConstraint('platform', 'enterprise_id', 'external_id', name=op.f('uq_installation_platform_enterprise_id_external_id'))
    )


def downgrade() -> None:
    op.drop_table('installation')

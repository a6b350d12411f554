"""teams conversation references

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:31:04.584497
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('teams_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('aad_object_id', sa.String(length=100), nullable=True),
    sa.Column('team_id', sa.String(length=300), nullable=True),
    sa.Column('conversation_id', sa.String(length=500), nullable=True),
    sa.Column('reference', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams_conversation')),
    sa.UniqueConstraint('tenant_id', 'kind', 'target', name=op.f('uq_teams_conversation_tenant_id_kind_target'))
    )
    with op.batch_alter_table('teams_conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_conversation_aad_object_id'), ['aad_object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_teams_conversation_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('teams_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.String(length=100), nullable=False),
    sa.Column('message_id', sa.String(length=300), nullable=False),
    sa.Column('author', sa.String(length=300), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams_message')),
    sa.UniqueConstraint('tenant_id', 'message_id', name=op.f('uq_teams_message_tenant_id_message_id'))
    )
    with op.batch_alter_table('teams_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_message_seen_at'), ['seen_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('teams_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_message_seen_at'))

    op.drop_table('teams_message')
    with op.batch_alter_table('teams_conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_conversation_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_teams_conversation_aad_object_id'))

    op.drop_table('teams_conversation')

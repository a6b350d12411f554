"""audit, interactions, dashboard links, personal preferences

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 00:40:13.904547
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_audit_entry_actor_id_person')),
    sa.ForeignKeyConstraint(['subject_id'], ['person.id'], name=op.f('fk_audit_entry_subject_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_audit_entry_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('dashboard_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_dashboard_link_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_dashboard_link_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_dashboard_link_token_hash'))
    )
    with op.batch_alter_table('dashboard_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboard_link_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dashboard_link_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('ref', sa.String(length=120), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['person.id'], name=op.f('fk_interaction_source_id_person')),
    sa.ForeignKeyConstraint(['target_id'], ['person.id'], name=op.f('fk_interaction_target_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_interaction_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction')),
    sa.UniqueConstraint('workspace_id', 'kind', 'ref', 'source_id', 'target_id', name=op.f('uq_interaction_workspace_id_kind_ref_source_id_target_id'))
    )
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_target_id'), ['target_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_workspace_id'), ['workspace_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preferences', sa.JSON(), nullable=False, server_default='{}'))



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('preferences')

    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_target_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_source_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_occurred_at'))

    op.drop_table('interaction')
    with op.batch_alter_table('dashboard_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboard_link_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_dashboard_link_person_id'))

    op.drop_table('dashboard_link')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_subject_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    op.drop_table('audit_entry')

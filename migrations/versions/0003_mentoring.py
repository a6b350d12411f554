"""mentoring

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 22:27:46.500577
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('coffee_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_coffee_group_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coffee_group'))
    )
    with op.batch_alter_table('coffee_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coffee_group_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_coffee_group_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('coffee_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('snoozed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_coffee_member_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_coffee_member_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coffee_member')),
    sa.UniqueConstraint('person_id', name=op.f('uq_coffee_member_person_id'))
    )
    with op.batch_alter_table('coffee_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coffee_member_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('mentor_avoid',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('avoid_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['avoid_id'], ['person.id'], name=op.f('fk_mentor_avoid_avoid_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_mentor_avoid_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_mentor_avoid_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_avoid')),
    sa.UniqueConstraint('person_id', 'avoid_id', name=op.f('uq_mentor_avoid_person_id_avoid_id'))
    )
    with op.batch_alter_table('mentor_avoid', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_avoid_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_avoid_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('mentor_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('mentor_answer', sa.String(length=10), nullable=True),
    sa.Column('mentee_answer', sa.String(length=10), nullable=True),
    sa.Column('fit', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_nudge_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_response_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_nudge_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('nudges_unanswered', sa.Integer(), nullable=False),
    sa.Column('met_yes', sa.Integer(), nullable=False),
    sa.Column('met_no', sa.Integer(), nullable=False),
    sa.Column('feedback_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('mentor_feedback', sa.Integer(), nullable=True),
    sa.Column('mentee_feedback', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['person.id'], name=op.f('fk_mentor_pair_mentee_id_person')),
    sa.ForeignKeyConstraint(['mentor_id'], ['person.id'], name=op.f('fk_mentor_pair_mentor_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_mentor_pair_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_pair')),
    sa.UniqueConstraint('mentor_id', 'mentee_id', name=op.f('uq_mentor_pair_mentor_id_mentee_id'))
    )
    with op.batch_alter_table('mentor_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_pair_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_next_nudge_at'), ['next_nudge_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pair_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('mentor_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('skills', sa.JSON(), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('availability', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_mentor_profile_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_mentor_profile_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_profile')),
    sa.UniqueConstraint('person_id', name=op.f('uq_mentor_profile_person_id'))
    )
    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_profile_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mentor_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_profile_workspace_id'))

    op.drop_table('mentor_profile')
    with op.batch_alter_table('mentor_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_pair_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_next_nudge_at'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pair_mentee_id'))

    op.drop_table('mentor_pair')
    with op.batch_alter_table('mentor_avoid', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_avoid_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_avoid_person_id'))

    op.drop_table('mentor_avoid')
    with op.batch_alter_table('coffee_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coffee_member_workspace_id'))

    op.drop_table('coffee_member')
    with op.batch_alter_table('coffee_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coffee_group_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_coffee_group_created_at'))

    op.drop_table('coffee_group')

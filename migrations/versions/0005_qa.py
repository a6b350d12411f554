"""qa

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 22:33:18.403258
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('expert_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('away', sa.Boolean(), nullable=False),
    sa.Column('away_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('work_start_hour', sa.Integer(), nullable=False),
    sa.Column('work_end_hour', sa.Integer(), nullable=False),
    sa.Column('work_days', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_expert_profile_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_expert_profile_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_profile')),
    sa.UniqueConstraint('person_id', name=op.f('uq_expert_profile_person_id'))
    )
    with op.batch_alter_table('expert_profile', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_profile_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('expert_topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_expert_topic_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_expert_topic_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_topic')),
    sa.UniqueConstraint('person_id', 'topic', name=op.f('uq_expert_topic_person_id_topic'))
    )
    with op.batch_alter_table('expert_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_topic_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expert_topic_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('claimed_by_id', sa.Integer(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('channel_key', sa.String(length=200), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['asker_id'], ['person.id'], name=op.f('fk_question_asker_id_person')),
    sa.ForeignKeyConstraint(['claimed_by_id'], ['person.id'], name=op.f('fk_question_claimed_by_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_question_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_asker_id'), ['asker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('answerer_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=4000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['answerer_id'], ['person.id'], name=op.f('fk_answer_answerer_id_person')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_answerer_id'), ['answerer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_decided_at'), ['decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_question_id'), ['question_id'], unique=False)

    op.create_table('question_route',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('message_key', sa.String(length=200), nullable=True),
    sa.Column('routed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['expert_id'], ['person.id'], name=op.f('fk_question_route_expert_id_person')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_route_question_id_question')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_route')),
    sa.UniqueConstraint('question_id', 'expert_id', name=op.f('uq_question_route_question_id_expert_id'))
    )
    with op.batch_alter_table('question_route', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_route_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_question_route_question_id'), ['question_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('question_route', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_route_question_id'))
        batch_op.drop_index(batch_op.f('ix_question_route_expert_id'))

    op.drop_table('question_route')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_question_id'))
        batch_op.drop_index(batch_op.f('ix_answer_decided_at'))
        batch_op.drop_index(batch_op.f('ix_answer_answerer_id'))

    op.drop_table('answer')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_question_status'))
        batch_op.drop_index(batch_op.f('ix_question_created_at'))
        batch_op.drop_index(batch_op.f('ix_question_claimed_by_id'))
        batch_op.drop_index(batch_op.f('ix_question_asker_id'))

    op.drop_table('question')
    with op.batch_alter_table('expert_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_topic_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_expert_topic_person_id'))

    op.drop_table('expert_topic')
    with op.batch_alter_table('expert_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expert_profile_workspace_id'))

    op.drop_table('expert_profile')

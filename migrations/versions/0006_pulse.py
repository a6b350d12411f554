"""pulse

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 23:05:15.370751
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('channel_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=100), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('seen_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_channel_member_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_channel_member_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_member')),
    sa.UniqueConstraint('workspace_id', 'channel', 'person_id', name=op.f('uq_channel_member_workspace_id_channel_person_id'))
    )
    with op.batch_alter_table('channel_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_member_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('pulse_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('reminders', sa.Boolean(), nullable=False),
    sa.Column('work_start', sa.String(length=5), nullable=True),
    sa.Column('work_end', sa.String(length=5), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pulse_preference_person_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_pulse_preference_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_preference')),
    sa.UniqueConstraint('person_id', name=op.f('uq_pulse_preference_person_id'))
    )
    with op.batch_alter_table('pulse_preference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_preference_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('pulse_survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_pulse_survey_created_by_id_person')),
    sa.ForeignKeyConstraint(['schedule_id'], ['schedule.id'], name=op.f('fk_pulse_survey_schedule_id_schedule')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_pulse_survey_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_survey'))
    )
    with op.batch_alter_table('pulse_survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_survey_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('pulse_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=40), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invited', sa.Integer(), nullable=False),
    sa.Column('responded', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['pulse_survey.id'], name=op.f('fk_pulse_run_survey_id_pulse_survey')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_pulse_run_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_run')),
    sa.UniqueConstraint('survey_id', 'period', name=op.f('uq_pulse_run_survey_id_period'))
    )
    with op.batch_alter_table('pulse_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_run_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_run_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('pulse_answer',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Integer(), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('choice', sa.String(length=200), nullable=True),
    sa.Column('comment', sa.String(length=2000), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['pulse_run.id'], name=op.f('fk_pulse_answer_run_id_pulse_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_answer'))
    )
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_answer_run_id'), ['run_id'], unique=False)

    op.create_table('pulse_respondent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('answered', sa.JSON(), nullable=False),
    sa.Column('receipts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pulse_respondent_person_id_person')),
    sa.ForeignKeyConstraint(['run_id'], ['pulse_run.id'], name=op.f('fk_pulse_respondent_run_id_pulse_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_respondent')),
    sa.UniqueConstraint('run_id', 'person_id', name=op.f('uq_pulse_respondent_run_id_person_id'))
    )
    with op.batch_alter_table('pulse_respondent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_respondent_run_id'), ['run_id'], unique=False)

    op.create_table('pulse_attribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['pulse_answer.id'], name=op.f('fk_pulse_attribution_answer_id_pulse_answer')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pulse_attribution_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_attribution')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_pulse_attribution_answer_id'))
    )
    with op.batch_alter_table('pulse_attribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pulse_attribution_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pulse_attribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_attribution_person_id'))

    op.drop_table('pulse_attribution')
    with op.batch_alter_table('pulse_respondent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_respondent_run_id'))

    op.drop_table('pulse_respondent')
    with op.batch_alter_table('pulse_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_answer_run_id'))

    op.drop_table('pulse_answer')
    with op.batch_alter_table('pulse_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_run_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_pulse_run_survey_id'))

    op.drop_table('pulse_run')
    with op.batch_alter_table('pulse_survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_survey_workspace_id'))

    op.drop_table('pulse_survey')
    with op.batch_alter_table('pulse_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_preference_workspace_id'))

    op.drop_table('pulse_preference')
    with op.batch_alter_table('channel_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_member_workspace_id'))

    op.drop_table('channel_member')

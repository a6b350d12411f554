"""ideas

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 22:16:31.721015
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('channel', sa.String(length=100), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['opened_by_id'], ['person.id'], name=op.f('fk_campaign_opened_by_id_person')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_campaign_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('details', sa.String(length=4000), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('decline_reason', sa.String(length=1000), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=100), nullable=False),
    sa.Column('message_key', sa.String(length=200), nullable=True),
    sa.Column('source_ref', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_idea_author_id_person')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_idea_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['idea.id'], name=op.f('fk_idea_merged_into_id_idea')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_idea_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea')),
    sa.UniqueConstraint('workspace_id', 'source_ref', name=op.f('uq_idea_workspace_id_source_ref'))
    )
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_stage'), ['stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('idea_author',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_author_idea_id_idea')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_idea_author_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_author')),
    sa.UniqueConstraint('idea_id', 'person_id', name=op.f('uq_idea_author_idea_id_person_id'))
    )
    with op.batch_alter_table('idea_author', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_author_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_author_person_id'), ['person_id'], unique=False)

    op.create_table('idea_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['idea.id'], name=op.f('fk_idea_vote_idea_id_idea')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_idea_vote_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_vote')),
    sa.UniqueConstraint('idea_id', 'person_id', name=op.f('uq_idea_vote_idea_id_person_id'))
    )
    with op.batch_alter_table('idea_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_vote_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_vote_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('idea_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_vote_person_id'))
        batch_op.drop_index(batch_op.f('ix_idea_vote_idea_id'))

    op.drop_table('idea_vote')
    with op.batch_alter_table('idea_author', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_author_person_id'))
        batch_op.drop_index(batch_op.f('ix_idea_author_idea_id'))

    op.drop_table('idea_author')
    with op.batch_alter_table('idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_idea_stage'))
        batch_op.drop_index(batch_op.f('ix_idea_created_at'))
        batch_op.drop_index(batch_op.f('ix_idea_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_idea_author_id'))

    op.drop_table('idea')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_workspace_id'))

    op.drop_table('campaign')

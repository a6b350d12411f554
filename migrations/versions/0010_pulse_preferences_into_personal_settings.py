"""pulse preferences move into personal settings (person.preferences)

Revision ID: 0010
Revises: 0009

Pulse kept its own working hours and reminder opt-out; personal settings now hold both for
every feature, so each row is copied into its person's preferences and the table goes.
"""
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_person = sa.table('person', sa.column('id', sa.Integer()), sa.column('preferences', sa.JSON()))
_pulse = sa.table(
    'pulse_preference',
    sa.column('workspace_id', sa.Integer()),
    sa.column('person_id', sa.Integer()),
    sa.column('reminders', sa.Boolean()),
    sa.column('work_start', sa.String(5)),
    sa.column('work_end', sa.String(5)),
)


def _merged(preferences: dict[str, Any] | None, row: Any) -> dict[str, Any]:
    merged = dict(preferences or {})
    if not row.reminders:
        merged['muted'] = sorted({*merged.get('muted', []), 'pulse'})
    if row.work_start and row.work_end:
        merged['working_hours'] = {'start': row.work_start, 'end': row.work_end}
    return merged


def upgrade() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(_pulse)).all():
        current = bind.execute(
            sa.select(_person.c.preferences).where(_person.c.id == row.person_id)
        ).scalar()
        bind.execute(
            _person.update()
            .where(_person.c.id == row.person_id)
            .values(preferences=_merged(current, row))
        )
    with op.batch_alter_table('pulse_preference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_preference_workspace_id'))
    op.drop_table('pulse_preference')


def downgrade() -> None:
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

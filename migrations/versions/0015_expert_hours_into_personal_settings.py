"""expert working hours move into personal settings (person.preferences)

Revision ID: 0015
Revises: 0014

Q&A kept its own working hours beside the personal ones every other feature reads; escalation
now reads the personal ones too. An expert's hours that differ from the default are copied
into their preferences unless they already chose working hours there, and the columns go.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DEFAULT = (9, 17, [0, 1, 2, 3, 4])
_person = sa.table("person", sa.column("id", sa.Integer()), sa.column("preferences", sa.JSON()))
_expert = sa.table(
    "expert_profile",
    sa.column("person_id", sa.Integer()),
    sa.column("work_start_hour", sa.Integer()),
    sa.column("work_end_hour", sa.Integer()),
    sa.column("work_days", sa.JSON()),
)


def _clock(hour: int) -> str:
    return "23:59" if hour >= 24 else f"{hour:02d}:00"


def _merged(preferences: dict[str, Any] | None, row: Any) -> dict[str, Any] | None:
    merged = dict(preferences or {})
    chosen = (row.work_start_hour, row.work_end_hour, sorted(row.work_days or []))
    if chosen == _DEFAULT or merged.get("working_hours"):
        return None
    merged["working_hours"] = {
        "start": _clock(row.work_start_hour),
        "end": _clock(row.work_end_hour),
    }
    merged["work_days"] = chosen[2]
    return merged


def upgrade() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(_expert)).all():
        current = bind.execute(
            sa.select(_person.c.preferences).where(_person.c.id == row.person_id)
        ).scalar()
        merged = _merged(current, row)
        if merged is not None:
            bind.execute(
                _person.update().where(_person.c.id == row.person_id).values(preferences=merged)
            )
    with op.batch_alter_table("expert_profile", schema=None) as batch_op:
        batch_op.drop_column("work_days")
        batch_op.drop_column("work_end_hour")
        batch_op.drop_column("work_start_hour")


def downgrade() -> None:
    with op.batch_alter_table("expert_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("work_start_hour", sa.Integer(), nullable=False, server_default="9")
        )
        batch_op.add_column(
            sa.Column("work_end_hour", sa.Integer(), nullable=False, server_default="17")
        )
        batch_op.add_column(
            sa.Column("work_days", sa.JSON(), nullable=False, server_default="[0, 1, 2, 3, 4]")
        )

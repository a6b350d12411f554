"""pulse survey language: the language a survey is written in; texts in more languages

Revision ID: 0024
Revises: 0023

A survey now has its own language, in which its title, prompts and options are written and
which people read when it has no texts in theirs; the texts in other languages live in its
spec. Surveys written before are taken to be in their workspace's language (English where the
workspace chose none), and their spec says so too.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The languages Rapport shipped when this revision was written; a workspace's choice outside
# them was never in effect.
_SHIPPED = ("en", "fr", "de", "es", "ja")
_survey = sa.table(
    "pulse_survey",
    sa.column("id", sa.Integer()),
    sa.column("workspace_id", sa.Integer()),
    sa.column("language", sa.String(8)),
    sa.column("spec", sa.JSON()),
)
_workspace = sa.table("workspace", sa.column("id", sa.Integer()), sa.column("settings", sa.JSON()))


def _language(settings: dict[str, Any] | None) -> str:
    chosen = (settings or {}).get("language")
    return chosen if chosen in _SHIPPED else "en"


def upgrade() -> None:
    # In place, not in batch mode: a batch copy would drop the table that runs point at.
    op.add_column(
        "pulse_survey",
        sa.Column("language", sa.String(length=8), nullable=False, server_default="en"),
    )
    bind = op.get_bind()
    languages = {
        row.id: _language(row.settings) for row in bind.execute(sa.select(_workspace)).all()
    }
    for row in bind.execute(sa.select(_survey)).all():
        language = languages.get(row.workspace_id, "en")
        bind.execute(
            _survey.update()
            .where(_survey.c.id == row.id)
            .values(language=language, spec={**(row.spec or {}), "language": language})
        )


def downgrade() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(_survey)).all():
        spec = {k: v for k, v in (row.spec or {}).items() if k not in ("language", "titles")}
        spec["questions"] = [
            {k: v for k, v in question.items() if k != "translations"}
            for question in spec.get("questions", [])
        ]
        bind.execute(_survey.update().where(_survey.c.id == row.id).values(spec=spec))
    with op.batch_alter_table("pulse_survey") as batch:
        batch.drop_column("language")

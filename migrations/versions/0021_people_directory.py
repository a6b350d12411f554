"""people directory: where each field came from, location, active; SCIM users

Revision ID: 0021
Revises: 0020

Departments and managers now come from platform rosters, HR files and SCIM; a person keeps
the source of each field so that a lesser source never overwrites a better one, and an
`active` flag so that people who left stop receiving anything.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added in place, not in batch mode: a batch copy of the table would drop it, which
    # rows of other tables point at. The server defaults fill the rows already there.
    op.add_column("person", sa.Column("location", sa.String(length=200), nullable=True))
    op.add_column(
        "person", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.add_column("person", sa.Column("sources", sa.JSON(), nullable=False, server_default="{}"))
    op.add_column("person", sa.Column("left_on", sa.Date(), nullable=True))
    op.create_table(
        "scim_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=320), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_scim_user_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspace.id"], name=op.f("fk_scim_user_workspace_id_workspace")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scim_user")),
        sa.UniqueConstraint("person_id", name=op.f("uq_scim_user_person_id")),
        sa.UniqueConstraint(
            "workspace_id", "user_name", name=op.f("uq_scim_user_workspace_id_user_name")
        ),
    )
    with op.batch_alter_table("scim_user") as batch:
        batch.create_index(batch.f("ix_scim_user_workspace_id"), ["workspace_id"])


def downgrade() -> None:
    op.drop_table("scim_user")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("left_on")
        batch.drop_column("sources")
        batch.drop_column("active")
        batch.drop_column("location")

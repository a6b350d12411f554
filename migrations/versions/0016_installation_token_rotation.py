"""installations keep a refresh token and the bot token's expiry (Slack token rotation)

Revision ID: 0016
Revises: 0015

Both stay empty for installs without token rotation, which keep working as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("installation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bot_refresh_token", sa.String(length=500), nullable=True))
        batch_op.add_column(
            sa.Column("bot_token_expires_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("installation", schema=None) as batch_op:
        batch_op.drop_column("bot_token_expires_at")
        batch_op.drop_column("bot_refresh_token")

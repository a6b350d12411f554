"""processed_event keeps a digest of each platform event id, not the id

Revision ID: 0020
Revises: 0019

Some platform ids carry their moment (Discord's snowflakes, Slack's action timestamps), and a
processed_event row shares its transaction with what the event did, e.g. a survey answer: the
id would date it. Stored ids are replaced by their SHA-256 digest, which still tells a retry.
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = sa.table("processed_event", sa.column("id", sa.Integer), sa.column("event_id", sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_TABLE.c.id, _TABLE.c.event_id)).all()
    for row_id, event_id in rows:
        digest = hashlib.sha256(event_id.encode()).hexdigest()
        connection.execute(
            _TABLE.update().where(_TABLE.c.id == row_id).values(event_id=digest)
        )


def downgrade() -> None:
    # A digest cannot be turned back into the id; the rows still tell retries apart.
    pass

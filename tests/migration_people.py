"""A workspace and its people written straight into an older schema, for migration tests."""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
WORKSPACE = sa.table(
    "workspace",
    *(sa.column(name) for name in ("id", "platform", "external_id", "name", "timezone")),
    sa.column("settings", sa.JSON()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
PERSON = sa.table(
    "person",
    *(sa.column(name) for name in ("id", "workspace_id", "platform_user_id", "display_name")),
    sa.column("timezone"),
    sa.column("roles", sa.JSON()),
    sa.column("preferences", sa.JSON()),
    sa.column("is_bot", sa.Boolean()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


async def add_people(connection: AsyncConnection, preferences: Mapping[int, Any]) -> None:
    """Workspace 1 and one person per id, with those stored preferences."""
    await connection.execute(
        WORKSPACE.insert().values(
            id=1,
            platform="local",
            external_id="w",
            name="W",
            timezone="UTC",
            settings={},
            created_at=NOW,
        )
    )
    await connection.execute(
        PERSON.insert(),
        [
            {
                "id": person_id,
                "workspace_id": 1,
                "platform_user_id": f"p{person_id}",
                "display_name": "",
                "timezone": "UTC",
                "roles": [],
                "preferences": prefs,
                "is_bot": False,
                "created_at": NOW,
            }
            for person_id, prefs in preferences.items()
        ],
    )

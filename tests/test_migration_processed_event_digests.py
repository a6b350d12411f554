"""Migration 0020 replaces stored platform event ids by their digest: retries still known."""

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.contract.app import delivery_digest
from bot.store import migrate
from bot.store.db import Database

PROCESSED = sa.table(
    "processed_event",
    *(sa.column(name) for name in ("platform", "event_id", "received_at")),
)
IDS = ("1181234567890123456", "Ev0123ABCD", "1700000000.000100")


async def test_stored_event_ids_become_digests(empty_db: Database) -> None:
    await migrate.upgrade(empty_db.url, engine=empty_db.engine, revision="0019")
    day = datetime(2027, 1, 4, tzinfo=UTC)
    async with empty_db.engine.begin() as connection:
        await connection.execute(
            PROCESSED.insert(),
            [{"platform": "discord", "event_id": i, "received_at": day} for i in IDS],
        )
    await migrate.upgrade(empty_db.url, engine=empty_db.engine)
    async with empty_db.engine.connect() as connection:
        stored = set((await connection.execute(sa.select(PROCESSED.c.event_id))).scalars())
    assert stored == {delivery_digest(i) for i in IDS}

"""The trigger lock (bot/time/trigger_lock.py): one owner at a time, taken over when it is gone."""

import pytest
from sqlalchemy import text

from bot.store.db import Database
from bot.time.trigger_lock import TRY_TRANSACTION_LOCK, TriggerLock


async def _kill_connection_of(db: Database, lock: TriggerLock) -> None:
    """What a crashed process, a dropped network or an administrator does to the owner."""
    connection = lock._connection
    assert connection is not None
    pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar()
    await connection.commit()
    async with db.session() as session:
        sql = text("SELECT pg_terminate_backend(:pid)").bindparams(pid=pid)
        assert (await session.exec(sql)).scalar()  # type: ignore[call-overload]


async def test_one_owner_and_a_takeover_when_its_connection_goes(db: Database) -> None:
    first, second = TriggerLock(db, "a"), TriggerLock(db, "b")
    try:
        assert await first.hold()
        if not db.is_postgres:
            # One process owns its SQLite file: there is nobody to share triggers with.
            assert await second.hold() and second.owned
            return
        assert not await second.hold()
        assert await first.hold()  # still the owner on its next tick
        assert (first.owned, second.owned) == (True, False)

        await _kill_connection_of(db, first)
        assert await second.hold()
        assert not await first.hold()  # it notices, and the lock now belongs to the other
        assert (first.owned, second.owned) == (False, True)

        await second.release()
        assert await first.hold()
    finally:
        await first.release()
        await second.release()


async def test_an_owner_keeps_one_off_firers_out(db: Database) -> None:
    if not db.is_postgres:
        pytest.skip("the trigger lock is a PostgreSQL advisory lock")
    owner = TriggerLock(db, "serving replica")
    try:
        assert await owner.hold()
        # A scheduler that fires without holding the lock (tests, the shell) takes the same
        # lock for one transaction, and so fires nothing while a replica owns the triggers.
        async with db.session() as session:
            assert not (await session.exec(text(TRY_TRANSACTION_LOCK))).scalar()  # type: ignore[call-overload]
        await owner.release()
        async with db.session() as session:
            assert (await session.exec(text(TRY_TRANSACTION_LOCK))).scalar()  # type: ignore[call-overload]
    finally:
        await owner.release()

"""Rate-limit pauses every replica sees: a 429 told to one sender holds back all of them."""

from datetime import datetime

from sqlalchemy import case
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import RateLimitPause
from bot.store.db_upsert import dialect_insert


async def active(session: AsyncSession, now: datetime) -> dict[tuple[str, str], datetime]:
    """(platform, bucket) -> until, for every pause that has not run out."""
    found = await session.exec(select(RateLimitPause).where(col(RateLimitPause.until) > now))
    return {(row.platform, row.bucket): row.until for row in found.all()}


async def extend(session: AsyncSession, platform: str, bucket: str, until: datetime) -> None:
    """Pause (platform, bucket) until `until`, unless another replica already paused longer."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    statement = dialect_insert(dialect, RateLimitPause).values(
        platform=platform, bucket=bucket, until=until
    )
    later = case(
        (col(RateLimitPause.until) < statement.excluded.until, statement.excluded.until),
        else_=col(RateLimitPause.until),
    )
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=[col(RateLimitPause.platform), col(RateLimitPause.bucket)],
            set_={"until": later},
        )
    )

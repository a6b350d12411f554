"""The digest's weekly schedule: one cron schedule per workspace, in its time zone.

A firing becomes one due-work row keyed by (schedule, period), so a restart or a second
replica never posts the same week twice.
"""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Schedule, Workspace
from bot.time.scheduler import add_schedule
from handlers.digest.settings import DigestSettings, parse_time

KIND = "digest.weekly"


async def replace_schedule(
    session: AsyncSession, workspace: Workspace, digest: DigestSettings, now: datetime
) -> Schedule | None:
    """Switch off the current schedule and, when the digest is on, start one at its time."""
    current = await session.exec(
        select(Schedule).where(
            Schedule.workspace_id == workspace.id, Schedule.kind == KIND, col(Schedule.enabled)
        )
    )
    for schedule in current.all():
        schedule.enabled = False
        session.add(schedule)
    if not digest.enabled:
        return None
    hour, minute = parse_time(digest.time)
    return await add_schedule(
        session,
        workspace,
        KIND,
        {"type": "cron", "day_of_week": digest.day, "hour": hour, "minute": minute},
        now=now,
        timezone=workspace.timezone,
        name="weekly digest",  # not translated: a schedule's name, for operators
    )

"""The scheduled refresh of a tenant's people from Microsoft Graph: one schedule per Teams
workspace, started by its first reading of Graph, every GRAPH_REFRESH_HOURS. Its payload
keeps where Graph's delta query left off, so each refresh reads only what changed (the
refresh itself is adapters/teams/roster.py's `refresh`). Importing it loads no SDK."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Schedule, Workspace
from bot.time.scheduler import add_schedule

KIND = "teams.graph_refresh"


async def ensure_refresh(
    session: AsyncSession, workspace: Workspace, hours: int, now: datetime
) -> None:
    found = await session.exec(
        select(Schedule.id).where(
            Schedule.workspace_id == workspace.id, Schedule.kind == KIND, col(Schedule.enabled)
        )
    )
    if found.first() is None:
        trigger = {"type": "interval", "hours": hours}
        await add_schedule(session, workspace, KIND, trigger, now=now, name="Microsoft Graph")

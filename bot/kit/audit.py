"""The audit log: admin actions and reads of individual-level or network data."""

from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import AuditEntry


async def record(
    session: AsyncSession,
    workspace_id: int,
    actor_id: int | None,
    action: str,
    now: datetime,
    *,
    subject_id: int | None = None,
    **detail: Any,
) -> AuditEntry:
    """Write one entry in the caller's transaction, so the action and its record commit together."""
    entry = AuditEntry(
        workspace_id=workspace_id,
        actor_id=actor_id,
        action=action,
        subject_id=subject_id,
        detail=detail,
        created_at=now,
    )
    session.add(entry)
    await session.flush()
    return entry

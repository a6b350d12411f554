"""The audit log for admins: a page at a time in chat, or all of it as a CSV or JSON file.

Reading the log is itself an admin action, so every listing and export is recorded in it.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import AuditEntry, Person
from handlers.privacy.i18n import _

PAGE = 15
DEFAULT_DAYS = 30
BOT = "the bot"  # not translated: a value of the export file; a line in chat translates it
FIELDS = ["time", "actor", "action", "subject", "detail"]


@dataclass(frozen=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    offset: int

    @property
    def more(self) -> bool:
        return self.offset + len(self.rows) < self.total


async def page(
    session: AsyncSession, workspace_id: int, since: datetime, offset: int, limit: int = PAGE
) -> Page:
    """Entries since `since`, newest first."""
    where = (col(AuditEntry.workspace_id) == workspace_id) & (col(AuditEntry.created_at) >= since)
    total = (await session.exec(select(func.count()).select_from(AuditEntry).where(where))).one()
    found = await session.exec(
        select(AuditEntry)
        .where(where)
        .order_by(col(AuditEntry.created_at).desc(), col(AuditEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    entries = list(found.all())
    return Page(await _readable(session, workspace_id, entries), total, offset)


async def everything(
    session: AsyncSession, workspace_id: int, since: datetime
) -> list[dict[str, Any]]:
    found = await session.exec(
        select(AuditEntry)
        .where(AuditEntry.workspace_id == workspace_id, col(AuditEntry.created_at) >= since)
        .order_by(col(AuditEntry.created_at), col(AuditEntry.id))
    )
    return await _readable(session, workspace_id, list(found.all()))


def since(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "detail": json.dumps(row["detail"], ensure_ascii=False)})
    return out.getvalue().encode()


def as_json(rows: list[dict[str, Any]]) -> bytes:
    return json.dumps(rows, indent=2, ensure_ascii=False).encode()


def line(row: dict[str, Any]) -> str:
    subject = " · " + _("about {name}").format(name=row["subject"]) if row["subject"] else ""
    actor = _("the bot") if row["actor"] == BOT else row["actor"]
    detail = ", ".join(f"{k}={v}" for k, v in row["detail"].items())
    return f"{row['time'][:16].replace('T', ' ')} · {actor} · {row['action']}{subject}" + (
        f" · {detail}" if detail else ""
    )


async def _readable(
    session: AsyncSession, workspace_id: int, entries: list[AuditEntry]
) -> list[dict[str, Any]]:
    ids = {e.actor_id for e in entries} | {e.subject_id for e in entries}
    found = await session.exec(
        select(Person.id, Person.display_name).where(
            Person.workspace_id == workspace_id, col(Person.id).in_([i for i in ids if i])
        )
    )
    names = dict(found.all())
    return [
        {
            "time": e.created_at.isoformat(),
            "actor": names.get(e.actor_id, BOT) if e.actor_id else BOT,
            "action": e.action,
            "subject": names.get(e.subject_id, "") if e.subject_id else "",
            "detail": e.detail,
        }
        for e in entries
    ]

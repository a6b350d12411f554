"""Counting for the dashboard's panels: events per calendar week, people in a department.

Features count their own rows; these helpers only bin the moments they read and resolve the
department filter the same way for all of them.
"""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.core_catalog import _
from bot.models import Person
from bot.time.weeks import Week

NO_DEPARTMENT = "(no department)"  # not translated: a key; department_label shows it


def department_label(department: str) -> str:
    """A department as its reader reads it: the key of those without one in their language."""
    return _("(no department)") if department == NO_DEPARTMENT else department


def per_week(moments: Iterable[datetime], weeks: Sequence[Week]) -> list[int]:
    """How many of `moments` fall in each week (weeks in order, back to back)."""
    counts = [0] * len(weeks)
    starts = [w.start for w in weeks]
    for moment in moments:
        index = bisect_right(starts, moment) - 1
        if index >= 0 and moment < weeks[index].end:
            counts[index] += 1
    return counts


def within(moments: Iterable[datetime], start: datetime, end: datetime) -> int:
    return sum(1 for moment in moments if start <= moment < end)


async def department_members(
    session: AsyncSession, workspace_id: int, department: str | None
) -> set[int] | None:
    """The ids of the people in `department` (NO_DEPARTMENT: those without one); None when
    there is no filter, so that a query need not name everyone."""
    if department is None:
        return None
    where = (
        col(Person.department).is_(None) | (col(Person.department) == "")
        if department == NO_DEPARTMENT
        else col(Person.department) == department
    )
    found = await session.exec(select(Person.id).where(Person.workspace_id == workspace_id, where))
    return {person for person in found.all() if person is not None}


async def departments(session: AsyncSession, workspace_id: int) -> list[str]:
    """Every department someone is in, by name; NO_DEPARTMENT last when anyone has none."""
    found = await session.exec(
        select(Person.department)
        .where(Person.workspace_id == workspace_id, col(Person.is_bot).is_(False))
        .distinct()
    )
    names = {name or NO_DEPARTMENT for name in found.all()}
    return sorted(names - {NO_DEPARTMENT}) + ([NO_DEPARTMENT] if NO_DEPARTMENT in names else [])

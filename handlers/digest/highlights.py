"""Which spotlights the digest features in public, and the memory that makes them rotate.

Up to `HIGHLIGHTS`, most recent first, nobody twice in one digest. Spotlights naming
someone the last digest featured are left out whenever any other qualifies (a shorter list
rather than the same faces), so the same few are not praised week after week; and no two
people a feature asks to keep apart (a pair trading kudos) are ever featured together,
whoever else qualifies or not.
"""

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import Spotlight, Week
from bot.models import Workspace
from bot.store.expiry import Expiry, Purge
from bot.wiring.config import Settings
from handlers.digest.tables import DigestFeatured

HIGHLIGHTS = 3
# A digest a day late still counts as last week's; one from a month ago does not.
LAST_WEEK = timedelta(days=8)
KEEP_DAYS = 28


def _apart(spotlight: Spotlight, not_together: Collection[frozenset[int]]) -> bool:
    people = set(spotlight.people)
    return not any(pair <= people for pair in not_together)


def pick(
    spotlights: Sequence[Spotlight],
    featured_before: Collection[int],
    not_together: Collection[frozenset[int]],
) -> list[Spotlight]:
    allowed = [s for s in spotlights if _apart(s, not_together)]
    fresh = [s for s in allowed if not set(s.people) & set(featured_before)]
    chosen: list[Spotlight] = []
    named: set[int] = set()
    for spotlight in fresh or allowed:
        if len(chosen) < HIGHLIGHTS and not set(spotlight.people) & named:
            chosen.append(spotlight)
            named |= set(spotlight.people)
    return chosen


async def featured_last_week(session: AsyncSession, workspace: Workspace, week: Week) -> set[int]:
    """Who the last digest posted before this one featured, if it was posted a week ago."""
    found = await session.exec(
        select(DigestFeatured.person_id, DigestFeatured.week_end).where(
            DigestFeatured.workspace_id == workspace.id,
            col(DigestFeatured.week_end) < week.end,
            col(DigestFeatured.week_end) >= week.end - LAST_WEEK,
        )
    )
    rows = found.all()
    latest = max((end for _, end in rows), default=None)
    return {person for person, end in rows if end == latest}


def remember(
    session: AsyncSession, workspace: Workspace, week: Week, chosen: Sequence[Spotlight]
) -> None:
    assert workspace.id is not None
    for person in sorted({p for spotlight in chosen for p in spotlight.people}):
        session.add(DigestFeatured(workspace_id=workspace.id, person_id=person, week_end=week.end))


async def _forget(purge: Purge, cutoff: datetime) -> int:
    return await purge.delete_where(DigestFeatured, col(DigestFeatured.week_end) < cutoff)


def expiries(settings: Settings) -> Sequence[Expiry]:
    return [Expiry("digest_featured", KEEP_DAYS, _forget)]

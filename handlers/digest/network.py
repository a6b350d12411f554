"""The digest's picks from the interaction graph (handlers.insights): connectors of the week
for everyone; the people who may need a hand, and groups trading kudos, for community
managers only."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.wording import counted
from bot.models import Workspace
from handlers.digest.facts import Sensitive, Window
from handlers.insights.report import Insights, Isolated

if TYPE_CHECKING:
    from handlers.insights.fairness import KudosRing

CONNECTORS = 3
# Kudos traded back and forth show over weeks, not in one.
RING_WEEKS = 4
# Under-recognised: at least this many interactions in the week, and no kudos received.
ACTIVE_ENOUGH = 3


@dataclass(frozen=True)
class Picks:
    connectors: list[str]
    sensitive: Sensitive


def _isolated(found: Isolated) -> str:
    if found.reason == "own_team_only":
        return f"{found.name} (only inside their own team for {counted(found.weeks, 'week')})"
    return f"{found.name} (no interactions for {counted(found.weeks, 'week')})"


def _ring(ring: "KudosRing") -> str:
    return (
        f"{', '.join(ring.names)} ({ring.kudos_within} of their {ring.kudos_given} kudos "
        "went to each other)"
    )


def picks(insights: Insights, rings: "Sequence[KudosRing]" = ()) -> Picks:
    isolated = {found.person_id for found in insights.isolated}
    overlooked = [
        p.name
        for p in sorted(insights.people, key=lambda p: (-p.activity, p.person_id))
        if p.activity >= ACTIVE_ENOUGH and p.kudos_received == 0 and p.person_id not in isolated
    ]
    return Picks(
        connectors=[p.name for p in insights.connectors(CONNECTORS)],
        sensitive=Sensitive(
            isolated=[_isolated(found) for found in insights.isolated],
            under_recognised=overlooked,
            kudos_rings=[_ring(ring) for ring in rings],
        ),
    )


async def week_picks(session: AsyncSession, workspace: Workspace, window: Window) -> Picks:
    # The metrics bring numpy, scipy and networkx: loaded on the first digest, not at start.
    from handlers.insights.fairness import fairness_report
    from handlers.insights.store import weekly_insights

    assert workspace.id is not None
    insights = await weekly_insights(session, workspace.id, window.start, window.end)
    since = window.end - timedelta(weeks=RING_WEEKS)
    fairness = await fairness_report(session, workspace.id, since, window.end)
    return picks(insights, fairness.rings)

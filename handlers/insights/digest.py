"""The insights' part of the weekly digest, from the interaction graph: connectors and mavens
of the week for everyone; for community managers only, the people who may need a hand and
the groups trading kudos, whose members are never featured together in public."""

from collections.abc import Sequence
from datetime import timedelta
from itertools import combinations
from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Week
from bot.kit.i18n import format_list, format_number
from bot.kit.safety import neutralise
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.insights.i18n import _, ngettext

if TYPE_CHECKING:
    from handlers.insights.fairness import KudosRing
    from handlers.insights.report import Insights, Isolated

SHOWN = 3
# Kudos traded back and forth show over weeks, not in one.
RING_WEEKS = 4
# Under-recognised: at least this many interactions in the week, and no kudos received.
ACTIVE_ENOUGH = 3


def _names(names: Sequence[str]) -> str:
    return format_list(neutralise(n) for n in names)


def _isolated(found: "Isolated") -> str:
    weeks = format_number(found.weeks)
    if found.reason == "own_team_only":
        return ngettext(
            "{name} (only inside their own team for {count} week)",
            "{name} (only inside their own team for {count} weeks)",
            found.weeks,
        ).format(name=found.name, count=weeks)
    return ngettext(
        "{name} (no interactions for {count} week)",
        "{name} (no interactions for {count} weeks)",
        found.weeks,
    ).format(name=found.name, count=weeks)


def _ring(ring: "KudosRing") -> str:
    return ngettext(
        "{names} ({within} of their {count} kudos went to each other)",
        "{names} ({within} of their {count} kudos went to each other)",
        ring.kudos_given,
    ).format(
        names=_names(ring.names),
        within=format_number(ring.kudos_within),
        count=format_number(ring.kudos_given),
    )


def public_lines(insights: "Insights") -> tuple[str, ...]:
    connectors = [p.name for p in insights.connectors(SHOWN)]
    mavens = [p.name for p in insights.mavens(SHOWN)]
    return (
        _("*Connectors of the week* (most ties across teams): {names}").format(
            names=_names(connectors)
        )
        if connectors
        else _("*Connectors of the week* (most ties across teams): nobody stood out this week."),
        _("*Mavens of the week* (most accepted answers): {names}").format(names=_names(mavens))
        if mavens
        else _("*Mavens of the week* (most accepted answers): no accepted answers this week."),
    )


def private_lines(insights: "Insights", rings: "Sequence[KudosRing]") -> tuple[str, ...]:
    isolated = {found.person_id for found in insights.isolated}
    overlooked = [
        p.name
        for p in sorted(insights.people, key=lambda p: (-p.activity, p.person_id))
        if p.activity >= ACTIVE_ENOUGH and p.kudos_received == 0 and p.person_id not in isolated
    ]
    lines = []
    if insights.isolated:
        lines.append(
            _("• No interactions lately, or only inside their team: {people}").format(
                people=_names([_isolated(found) for found in insights.isolated])
            )
        )
    if overlooked:
        lines.append(
            _("• Active but little recognised: {people}").format(people=_names(overlooked))
        )
    if rings:
        lines.append(
            _("• Trading kudos back and forth (last {weeks} weeks): {rings}").format(
                weeks=format_number(RING_WEEKS), rings="; ".join(_ring(ring) for ring in rings)
            )
        )
    return tuple(lines)


def not_together(rings: "Sequence[KudosRing]") -> tuple[frozenset[int], ...]:
    """Every two members of a ring: a public mention of any such pair would reward the
    trading the private part warns about."""
    return tuple(
        frozenset(pair) for ring in rings for pair in combinations(sorted(ring.members), 2)
    )


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    # The metrics bring numpy, scipy and networkx: loaded on the first digest, not at start.
    from handlers.insights.fairness import fairness_report
    from handlers.insights.store import weekly_insights

    assert workspace.id is not None
    insights = await weekly_insights(session, workspace.id, week.start, week.end)
    since = week.end - timedelta(weeks=RING_WEEKS)
    rings = (await fairness_report(session, workspace.id, since, week.end)).rings
    return DigestPart(
        title=_("People"),
        lines=public_lines(insights),
        not_together=not_together(rings),
        private=private_lines(insights, rings),
        facts={
            "connectors": [p.name for p in insights.connectors(SHOWN)],
            "mavens": [p.name for p in insights.mavens(SHOWN)],
        },
        order=70,
    )

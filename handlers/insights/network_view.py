"""The network page's data: who interacted with whom over the last four weeks, by
department, with the connectors and mavens. Individual-level data: the dashboard audits
every read of the panel made from it (handlers/insights/dashboard.py).

What is drawn depends on how many people it would show. Up to `MAX_PEOPLE`, one dot a
person; beyond that a picture of dots is a hairball, so the departments are drawn as groups
with the ties between them, and a department's people one by one once the reader picks it
(its most connected `MAX_PEOPLE` when it is bigger still).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.tallies import NO_DEPARTMENT
from bot.models import Interaction, Person, Workspace

NETWORK_WEEKS = 4
MAX_PEOPLE = 150
MAX_EDGES = 1000
MAX_TIES = 80  # between departments, the heaviest


@dataclass(frozen=True)
class Picture:
    """People grouped by department; `highlighted` are the connectors."""

    departments: dict[int, str]  # person id -> department
    names: dict[int, str]
    edges: list[tuple[int, int, float]]
    highlighted: frozenset[int]


@dataclass(frozen=True)
class Groups:
    """Departments as groups: their sizes, and the interactions between each two."""

    sizes: dict[str, int]
    ties: list[tuple[str, str, float]]  # the heaviest, by weight


@dataclass(frozen=True)
class Network:
    since: datetime
    until: datetime
    departments: dict[int, str]  # every person (not a bot) -> department
    names: dict[int, str]
    weights: dict[tuple[int, int], float]  # (lower id, higher id) -> summed weight
    connector_ids: frozenset[int]
    connectors: list[tuple[str, str, int, float]]  # name, department, cross ties, betweenness
    mavens: list[tuple[str, str, int, int]]  # name, department, answers given, people helped
    interactions: int

    @property
    def people(self) -> int:
        return len(self.departments)

    def picture(self, department: str | None = None) -> Picture | Groups:
        """People one by one where few are in view (everyone, or `department`'s), else the
        departments as groups."""
        scope = [p for p, d in self.departments.items() if department in (None, d)]
        if department is None and len(scope) > MAX_PEOPLE:
            return self.groups()
        shown = drawn_people(self.weights, set(self.connector_ids), scope)
        return Picture(
            departments={p: self.departments[p] for p in shown},
            names={p: self.names[p] for p in shown},
            edges=heaviest_edges(self.weights, shown),
            highlighted=self.connector_ids & shown,
        )

    def groups(self) -> Groups:
        sizes: dict[str, int] = {}
        for department in self.departments.values():
            sizes[department] = sizes.get(department, 0) + 1
        between: dict[tuple[str, str], float] = {}
        for (a, b), weight in self.weights.items():
            one, other = self.departments.get(a), self.departments.get(b)
            if one is None or other is None or one == other:
                continue
            pair = (min(one, other), max(one, other))
            between[pair] = between.get(pair, 0.0) + weight
        heaviest = sorted(between.items(), key=lambda item: (-item[1], item[0]))[:MAX_TIES]
        return Groups(dict(sorted(sizes.items())), [(a, b, w) for (a, b), w in heaviest])


def drawn_people(
    weights: dict[tuple[int, int], float], connectors: set[int], everyone: list[int]
) -> set[int]:
    """Everyone when few; when many, the connectors among them and the most connected
    others, so that the picture stays readable and the page light. Only `everyone` is drawn:
    a bot or an erased person's stand-in, tied to people by old edges, takes no place."""
    if len(everyone) <= MAX_PEOPLE:
        return set(everyone)
    members = set(everyone)
    degree: dict[int, float] = {}
    for (a, b), weight in weights.items():
        for person in (a, b):
            if person in members:
                degree[person] = degree.get(person, 0.0) + weight
    ranked = sorted(degree, key=lambda p: (-degree[p], p))
    ranked = [p for p in ranked if p not in connectors]
    return (connectors & members) | set(ranked[: MAX_PEOPLE - len(connectors & members)])


def heaviest_edges(
    weights: dict[tuple[int, int], float], shown: set[int]
) -> list[tuple[int, int, float]]:
    among = [(a, b, w) for (a, b), w in weights.items() if a in shown and b in shown]
    among.sort(key=lambda edge: (-edge[2], edge[0], edge[1]))
    return sorted(among[:MAX_EDGES])


def network_since(now: datetime) -> datetime:
    """The network's window opens at midnight (UTC) four weeks back, so it moves a day at a
    time: a repeated view reuses its computation until the day turns or something new
    happens, not only until the next edge slides out of a window ending to the second."""
    start = (now - timedelta(weeks=NETWORK_WEEKS)).astimezone(UTC).date()
    return datetime.combine(start, time(), tzinfo=UTC)


async def network(session: AsyncSession, workspace: Workspace, now: datetime) -> Network:
    """Who interacted with whom over the last weeks, by department, connectors marked."""
    assert workspace.id is not None
    since = network_since(now)
    people = (
        await session.exec(
            select(Person).where(Person.workspace_id == workspace.id, col(Person.is_bot).is_(False))
        )
    ).all()
    edges = await session.exec(
        select(Interaction.source_id, Interaction.target_id, Interaction.weight).where(
            Interaction.workspace_id == workspace.id,
            col(Interaction.occurred_at) >= since,
            col(Interaction.occurred_at) < now,
        )
    )
    weights: dict[tuple[int, int], float] = {}
    for source, target, weight in edges.all():
        pair = (min(source, target), max(source, target))
        weights[pair] = weights.get(pair, 0.0) + weight
    from handlers.insights.store import weekly_insights  # numpy and scipy, on first use

    insights = await weekly_insights(session, workspace.id, since, now)
    connectors = insights.connectors(5)
    mavens = insights.mavens(5)
    return Network(
        since=since,
        until=now,
        departments={p.id: p.department or NO_DEPARTMENT for p in people if p.id is not None},
        names={p.id: p.display_name for p in people if p.id is not None},
        weights=weights,
        connector_ids=frozenset(c.person_id for c in connectors),
        connectors=[
            (c.name, c.department or NO_DEPARTMENT, c.cross_department_ties, c.betweenness)
            for c in connectors
        ],
        mavens=[
            (m.name, m.department or NO_DEPARTMENT, m.answers_given, m.people_helped)
            for m in mavens
        ],
        interactions=insights.community.interactions,
    )

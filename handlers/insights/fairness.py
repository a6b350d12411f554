"""Fairness of recognition: who gives and receives kudos across departments and roles, and
groups that trade kudos back and forth. Sensitive: for admins and community managers only."""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import networkx as nx
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.tallies import NO_DEPARTMENT
from handlers.insights.graph import EdgeRow, EdgeTable, Member, edge_table
from handlers.insights.store import load_edges, load_members
from handlers.kudos.history import KUDOS

# Kudos each way between two people within the window before they count as trading.
RING_MIN_KUDOS = 3
# Share of a group's kudos that stays inside it before it is flagged.
RING_MIN_SHARE = 0.5
# Groups smaller than this are never called under-recognised: one person's quiet week is not
# a pattern, and naming a group of two points at individuals.
GROUP_MIN_PEOPLE = 3
UNDER_RECOGNISED = 0.5


@dataclass(frozen=True)
class GroupRecognition:
    """One department or role. `index` is its share of kudos received over its share of
    people: 1.0 is a fair share; under 0.5 (with at least 3 people) is flagged."""

    group: str
    people: int
    given: int
    received: int
    received_per_person: float
    index: float
    under_recognised: bool


@dataclass(frozen=True)
class KudosRing:
    """People who give each other kudos again and again: every member is on a cycle of
    pairs that each gave at least the threshold, and most of what they give stays inside."""

    members: tuple[int, ...]
    names: tuple[str, ...]
    kudos_within: int
    kudos_given: int
    share_within: float
    pairs: tuple[tuple[int, int, int], ...]  # (giver, receiver, kudos)


@dataclass(frozen=True)
class FairnessReport:
    start: datetime
    end: datetime
    kudos: int
    by_department: list[GroupRecognition]
    by_role: list[GroupRecognition]
    flows: dict[tuple[str, str], int]  # (giver's department, receiver's) -> kudos
    rings: list[KudosRing]

    @property
    def flagged(self) -> bool:
        return bool(self.rings) or any(
            g.under_recognised for g in [*self.by_department, *self.by_role]
        )


def role_groups(member: Member, managers: set[int]) -> list[str]:
    """Roles as groups: admin, hr, community_manager, manager (someone reports to them),
    and member for everyone else."""
    groups = [r for r in member.roles if r != "member"]
    if member.id in managers:
        groups.append("manager")
    return groups or ["member"]


def _groups(
    label: dict[int, list[str]], given: Counter[int], received: Counter[int], total: int
) -> list[GroupRecognition]:
    heads: Counter[str] = Counter()
    gave: Counter[str] = Counter()
    got: Counter[str] = Counter()
    for person, groups in label.items():
        for group in groups:
            heads[group] += 1
            gave[group] += given[person]
            got[group] += received[person]
    everyone = len(label)
    found = []
    for group in sorted(heads):
        fair = heads[group] / everyone if everyone else 0.0
        index = (got[group] / total) / fair if total and fair else 0.0
        found.append(
            GroupRecognition(
                group=group,
                people=heads[group],
                given=gave[group],
                received=got[group],
                received_per_person=got[group] / heads[group],
                index=index,
                under_recognised=bool(total)
                and heads[group] >= GROUP_MIN_PEOPLE
                and index < UNDER_RECOGNISED,
            )
        )
    return found


def _rings(
    counts: Counter[tuple[int, int]], names: dict[int, str], min_kudos: int, min_share: float
) -> list[KudosRing]:
    heavy = nx.DiGraph((a, b) for (a, b), c in counts.items() if c >= min_kudos)
    given: Counter[int] = Counter()
    for (giver, _), c in counts.items():
        given[giver] += c
    found = []
    for group in nx.strongly_connected_components(heavy):
        if len(group) < 2:
            continue
        inside = sorted((a, b, c) for (a, b), c in counts.items() if a in group and b in group)
        within = sum(c for _, _, c in inside)
        total = sum(given[p] for p in group)
        if within / total < min_share:
            continue
        members = tuple(sorted(group))
        found.append(
            KudosRing(
                members,
                tuple(names.get(p, str(p)) for p in members),
                within,
                total,
                within / total,
                tuple(inside),
            )
        )
    found.sort(key=lambda r: (-r.kudos_within, r.members))
    return found


def compute_fairness(
    edges: EdgeTable | Iterable[EdgeRow],
    members: Sequence[Member],
    start: datetime,
    end: datetime,
    *,
    min_kudos: int = RING_MIN_KUDOS,
    min_share: float = RING_MIN_SHARE,
) -> FairnessReport:
    table = edges if isinstance(edges, EdgeTable) else edge_table(edges)
    keep = (table.kind == table.code(KUDOS)) & (table.at >= start.timestamp())
    keep &= table.at < end.timestamp()
    known = {m.id: m for m in members}
    pairs = [
        (a, b)
        for a, b in zip(table.source[keep].tolist(), table.target[keep].tolist(), strict=True)
        if a in known and b in known and a != b
    ]
    counts = Counter(pairs)
    given = Counter(a for a, _ in pairs)
    received = Counter(b for _, b in pairs)
    managers = {m.manager_id for m in members if m.manager_id is not None}
    by_department = {m.id: [m.department or NO_DEPARTMENT] for m in members}
    by_role = {m.id: role_groups(m, managers) for m in members}
    flows = Counter((by_department[a][0], by_department[b][0]) for a, b in pairs)
    names = {m.id: m.name for m in members}
    return FairnessReport(
        start=start,
        end=end,
        kudos=len(pairs),
        by_department=_groups(by_department, given, received, len(pairs)),
        by_role=_groups(by_role, given, received, len(pairs)),
        flows=dict(sorted(flows.items())),
        rings=_rings(counts, names, min_kudos, min_share),
    )


async def fairness_report(
    session: AsyncSession,
    workspace_id: int,
    start: datetime,
    end: datetime,
    *,
    min_kudos: int = RING_MIN_KUDOS,
    min_share: float = RING_MIN_SHARE,
) -> FairnessReport:
    members = await load_members(session, workspace_id)
    edges = await load_edges(session, workspace_id, start, end, kinds=(KUDOS,))
    return compute_fairness(edges, members, start, end, min_kudos=min_kudos, min_share=min_share)

"""The network metrics of one time window, over plain edges (no database here).

Everything is counted with whole-array numpy operations so that a 50,000-person organisation
with a million interactions stays within seconds; betweenness is sampled (betweenness.py).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from handlers.insights.betweenness import adjacency, betweenness
from handlers.insights.graph import (
    IDEA_KINDS,
    SYMMETRIC,
    BoolArray,
    EdgeRow,
    EdgeTable,
    FloatArray,
    IntArray,
    Member,
    People,
    edge_table,
    people_index,
)
from handlers.insights.report import (
    CommunityMetrics,
    DepartmentMetrics,
    Insights,
    Isolated,
    IsolationReason,
    PersonMetrics,
)
from handlers.kudos.history import KUDOS
from handlers.qa.history import ANSWER

ISOLATION_WEEKS = 4
BETWEENNESS_SAMPLES = 256


@dataclass(frozen=True)
class _Window:
    """The edges of one window, as member indexes (edges touching non-members dropped)."""

    source: IntArray
    target: IntArray
    kind: IntArray
    at: FloatArray


def _window(indexed: _Window, since: datetime, until: datetime) -> _Window:
    keep = (indexed.at >= since.timestamp()) & (indexed.at < until.timestamp())
    return _Window(indexed.source[keep], indexed.target[keep], indexed.kind[keep], indexed.at[keep])


def _members_only(edges: EdgeTable, people: People) -> _Window:
    """Every edge between two different members, as member indexes."""
    source, target = people.index(edges.source), people.index(edges.target)
    keep = (source >= 0) & (target >= 0) & (source != target)
    return _Window(source[keep], target[keep], edges.kind[keep], edges.at[keep])


def _distinct(keys: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted distinct values and how often each occurs. By sorting: numpy's hash-based
    unique was twenty times slower on a million keys."""
    ordered = np.sort(keys)
    if not len(ordered):
        return ordered, np.zeros(0, dtype=np.int64)
    first = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    counts = np.diff(np.r_[first, len(ordered)]).astype(np.int64)
    return ordered[first], counts


def _pairs(n: int, a: IntArray, b: IntArray) -> tuple[IntArray, IntArray]:
    """Distinct unordered pairs."""
    low, high = np.minimum(a, b), np.maximum(a, b)
    keys, _ = _distinct(low * n + high)
    return keys // n, keys % n


def _count(n: int, who: IntArray) -> IntArray:
    return np.bincount(who, minlength=n).astype(np.int64)


def _distinct_count(n: int, who: IntArray, other: IntArray) -> IntArray:
    """For each person, how many distinct others appear beside them."""
    keys, _ = _distinct(who * n + other)
    return _count(n, keys // n)


def _kind_mask(edges: EdgeTable, window: _Window, kinds: Iterable[str]) -> BoolArray:
    codes = [edges.code(k) for k in kinds]
    return np.isin(window.kind, codes)


def _last_seen(n: int, window: _Window) -> FloatArray:
    last = np.full(n, -np.inf)
    np.maximum.at(last, window.source, window.at)
    np.maximum.at(last, window.target, window.at)
    return last


def _reciprocity(n: int, edges: EdgeTable, window: _Window) -> float:
    one_way = ~_kind_mask(edges, window, SYMMETRIC)
    keys, _ = _distinct(window.source[one_way] * n + window.target[one_way])
    if not len(keys):
        return 0.0
    reverse = (keys % n) * n + keys // n
    found = np.minimum(np.searchsorted(keys, reverse), len(keys) - 1)
    return float((keys[found] == reverse).mean())


def _isolated(people: People, lookback: _Window, weeks: int) -> list[Isolated]:
    n = people.size
    dept = people.department
    touched = _count(n, lookback.source) + _count(n, lookback.target)
    outside = dept[lookback.source] != dept[lookback.target]
    reaches_out = _count(n, lookback.source[outside]) + _count(n, lookback.target[outside])
    last = _last_seen(n, lookback)
    found = []
    for i in np.flatnonzero((touched == 0) | ((reaches_out == 0) & (dept >= 0))):
        member = people.member(int(i))
        seen = _when(last[i])
        reason: IsolationReason = "no_interactions" if touched[i] == 0 else "own_team_only"
        found.append(Isolated(member.id, member.name, member.department, reason, weeks, seen))
    return found


def _when(stamp: float) -> datetime | None:
    return datetime.fromtimestamp(stamp, UTC) if np.isfinite(stamp) else None


def _growth(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


def _cross_pairs(people: People, low: IntArray, high: IntArray) -> BoolArray:
    dept = people.department
    result: BoolArray = (dept[low] >= 0) & (dept[high] >= 0) & (dept[low] != dept[high])
    return result


def _community(
    people: People, edges: EdgeTable, now: _Window, before: _Window, cross_ties: int, ties: int
) -> CommunityMetrics:
    n = people.size
    dept = people.department
    sizes = np.bincount(dept[dept >= 0], minlength=len(people.departments)).astype(np.int64)
    possible = (int(sizes.sum()) ** 2 - int((sizes**2).sum())) // 2
    active = int(np.count_nonzero(_count(n, now.source) + _count(n, now.target)))
    was_active = int(np.count_nonzero(_count(n, before.source) + _count(n, before.target)))
    before_ties = len(_pairs(n, before.source, before.target)[0])
    low, high = _pairs(n, now.source, now.target)
    cross = _cross_pairs(people, low, high)
    names = people.departments
    a, b = dept[low[cross]], dept[high[cross]]
    first, second = np.minimum(a, b), np.maximum(a, b)
    keys, counts = _distinct(first * len(names) + second)
    department_ties = {
        (names[k // len(names)], names[k % len(names)]): int(c)
        for k, c in zip(keys.tolist(), counts.tolist(), strict=True)
    }
    kind_counts = np.bincount(now.kind, minlength=len(edges.kinds))
    return CommunityMetrics(
        people=n,
        active_people=active,
        interactions=len(now.source),
        ties=ties,
        cross_department_ties=cross_ties,
        cross_department_share=cross_ties / ties if ties else 0.0,
        cross_department_density=cross_ties / possible if possible else 0.0,
        reciprocity=_reciprocity(n, edges, now),
        previous_interactions=len(before.source),
        previous_active_people=was_active,
        previous_ties=before_ties,
        interactions_growth=_growth(len(now.source), len(before.source)),
        active_people_growth=_growth(active, was_active),
        ties_growth=_growth(ties, before_ties),
        by_kind={edges.kinds[k]: int(c) for k, c in enumerate(kind_counts.tolist()) if c},
        department_ties=department_ties,
    )


def compute_insights(
    edges: EdgeTable | Iterable[EdgeRow],
    members: Sequence[Member],
    start: datetime,
    end: datetime,
    *,
    isolation_weeks: int = ISOLATION_WEEKS,
    samples: int | None = BETWEENNESS_SAMPLES,
    seed: int = 0,
) -> Insights:
    """Metrics for [start, end). Edges before `start` are used for the previous window
    (growth) and for isolation, which looks back `isolation_weeks` from `end`."""
    table = edges if isinstance(edges, EdgeTable) else edge_table(edges)
    people = people_index(members)
    n = people.size
    indexed = _members_only(table, people)
    now = _window(indexed, start, end)
    before = _window(indexed, start - (end - start), start)
    lookback = _window(indexed, end - timedelta(weeks=isolation_weeks), end)

    kudos = now.kind == table.code(KUDOS)
    answers = now.kind == table.code(ANSWER)
    activity = _count(n, now.source) + _count(n, now.target)
    low, high = _pairs(n, now.source, now.target)
    cross = _cross_pairs(people, low, high)
    ties = _count(n, low) + _count(n, high)
    cross_ties = _count(n, low[cross]) + _count(n, high[cross])
    central = betweenness(adjacency(n, low, high), samples, seed)
    helped = _distinct_count(n, now.source[answers], now.target[answers])
    reach = _idea_reach(people, table, now)
    last = _last_seen(n, lookback)
    kudos_given, kudos_received = _count(n, now.source[kudos]), _count(n, now.target[kudos])
    answers_given = _count(n, now.source[answers])

    person_rows = []
    for i in range(n):
        member = people.member(i)
        person_rows.append(
            PersonMetrics(
                person_id=member.id,
                name=member.name,
                department=member.department,
                activity=int(activity[i]),
                kudos_given=int(kudos_given[i]),
                kudos_received=int(kudos_received[i]),
                answers_given=int(answers_given[i]),
                people_helped=int(helped[i]),
                ties=int(ties[i]),
                cross_department_ties=int(cross_ties[i]),
                betweenness=float(central[i]),
                idea_reach=int(reach[i]),
                last_interaction=_when(last[i]),
            )
        )
    isolated = _isolated(people, lookback, isolation_weeks)
    community = _community(people, table, now, before, int(cross.sum()), len(low))
    departments = _departments(
        people, activity, kudos_given, kudos_received, answers_given, cross_ties, isolated
    )
    return Insights(start, end, person_rows, departments, community, isolated)


def _idea_reach(people: People, edges: EdgeTable, now: _Window) -> IntArray:
    """Distinct supporters from other departments of each person's ideas. Votes and comments
    point at the authors; co-authorship counts for both."""
    n = people.size
    ideas = _kind_mask(edges, now, IDEA_KINDS)
    mutual = ideas & _kind_mask(edges, now, SYMMETRIC)
    author = np.concatenate([now.target[ideas], now.source[mutual]])
    supporter = np.concatenate([now.source[ideas], now.target[mutual]])
    dept = people.department
    foreign = (dept[author] != dept[supporter]) | (dept[author] < 0)
    return _distinct_count(n, author[foreign], supporter[foreign])


def _departments(
    people: People,
    activity: IntArray,
    kudos_given: IntArray,
    kudos_received: IntArray,
    answers_given: IntArray,
    cross_ties: IntArray,
    isolated: list[Isolated],
) -> list[DepartmentMetrics]:
    dept = people.department
    known = dept >= 0
    size = len(people.departments)

    def total(values: IntArray) -> IntArray:
        return np.bincount(dept[known], weights=values[known], minlength=size).astype(np.int64)

    heads = total(np.ones(people.size, dtype=np.int64))
    active = total((activity > 0).astype(np.int64))
    sums = [total(v) for v in (activity, kudos_given, kudos_received, answers_given, cross_ties)]
    lonely: dict[str, int] = {}
    for item in isolated:
        if item.department:
            lonely[item.department] = lonely.get(item.department, 0) + 1
    return [
        DepartmentMetrics(
            name=name,
            people=int(heads[d]),
            active_people=int(active[d]),
            interactions=int(sums[0][d]),
            kudos_given=int(sums[1][d]),
            kudos_received=int(sums[2][d]),
            answers_given=int(sums[3][d]),
            cross_department_ties=int(sums[4][d]),
            isolated=lonely.get(name, 0),
        )
        for d, name in enumerate(people.departments)
    ]

"""The maths of coffee pairing, on plain data: no store, no chat.

Coffee pairing is a maximum-weight matching on the graph of everyone taking part, solved
exactly by networkx's blossom algorithm; with an odd count the one left over joins the pair
they fit best, making a group of three.

networkx is imported by the function that solves, on the first round: the rest of the bot
starts without it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

# Coffee: never having met is worth most; different departments a little less.
COFFEE_BASE = 1.0
COFFEE_NEW_BONUS = 4.0
COFFEE_DEPARTMENT_BONUS = 2.0


@dataclass(frozen=True)
class Colleague:
    id: int
    department: str | None = None


def coffee_weight(a: Colleague, b: Colleague, met: set[frozenset[int]]) -> float:
    weight = COFFEE_BASE
    if frozenset((a.id, b.id)) not in met:
        weight += COFFEE_NEW_BONUS
    if a.department and b.department and a.department != b.department:
        weight += COFFEE_DEPARTMENT_BONUS
    return weight


def group_weight(group: Iterable[Colleague], met: set[frozenset[int]]) -> float:
    return sum(coffee_weight(a, b, met) for a, b in combinations(list(group), 2))


def coffee_groups(people: list[Colleague], met: set[frozenset[int]]) -> list[list[Colleague]]:
    """Pairs of everyone (a group of three when the count is odd), by maximum total weight.

    The pairing is an exact maximum-weight perfect matching of an even number of people;
    with an odd count the matching leaves out whoever it costs least to leave out, and that
    person joins the pair they add the most weight to.
    """
    if len(people) < 2:
        return []
    import networkx as nx

    graph = nx.Graph()
    by_id = {p.id: p for p in people}
    for a, b in combinations(people, 2):
        graph.add_edge(a.id, b.id, weight=coffee_weight(a, b, met))
    matching: set[tuple[int, int]] = nx.max_weight_matching(graph, maxcardinality=True)
    groups = [sorted([by_id[a], by_id[b]], key=lambda p: p.id) for a, b in matching]
    paired = {p.id for group in groups for p in group}
    for odd in (p for p in people if p.id not in paired):
        best = max(groups, key=lambda g: (group_weight([*g, odd], met), -g[0].id))
        best.append(odd)
    return sorted(groups, key=lambda g: g[0].id)

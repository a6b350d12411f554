"""The coffee pairing maths on plain data: optimal against brute force."""

import random
from itertools import combinations

import pytest

from handlers.coffee.matching import Colleague, coffee_groups, coffee_weight, group_weight

DEPARTMENTS = ["Engineering", "Sales", "People", None]


def brute_force_pairs(people: list[Colleague], met: set[frozenset[int]]) -> float:
    """The best total over every split of an even group into pairs."""
    if not people:
        return 0.0
    first, rest = people[0], people[1:]
    return max(
        coffee_weight(first, other, met)
        + brute_force_pairs([p for p in rest if p is not other], met)
        for other in rest
    )


@pytest.mark.parametrize("seed", range(100))
def test_coffee_pairs_are_optimal(seed: int) -> None:
    rng = random.Random(seed)
    people = [Colleague(i, rng.choice(DEPARTMENTS)) for i in range(rng.choice([2, 4, 6, 8]))]
    met = {frozenset(pair) for pair in combinations(range(8), 2) if rng.random() < 0.3}
    groups = coffee_groups(people, met)
    assert all(len(g) == 2 for g in groups)
    assert sorted(p.id for g in groups for p in g) == [p.id for p in people]
    total = sum(group_weight(g, met) for g in groups)
    assert total == pytest.approx(brute_force_pairs(people, met))


@pytest.mark.parametrize("count", [3, 5, 7])
def test_an_odd_count_makes_one_group_of_three(count: int) -> None:
    people = [Colleague(i, DEPARTMENTS[i % 3]) for i in range(count)]
    groups = coffee_groups(people, set())
    assert sorted(len(g) for g in groups) == [2] * (count // 2 - 1) + [3]
    assert sorted(p.id for g in groups for p in g) == list(range(count))


def test_coffee_prefers_new_faces_and_other_departments() -> None:
    ann, bob = Colleague(1, "Engineering"), Colleague(2, "Engineering")
    eve, fay = Colleague(3, "Sales"), Colleague(4, "Sales")
    groups = coffee_groups([ann, bob, eve, fay], set())
    assert all({p.department for p in g} == {"Engineering", "Sales"} for g in groups)
    met = {frozenset((1, 3)), frozenset((2, 4))}
    groups = coffee_groups([ann, bob, eve, fay], met)
    assert {frozenset(p.id for p in g) for g in groups} == {frozenset((1, 4)), frozenset((2, 3))}


def test_fewer_than_two_make_no_group() -> None:
    assert coffee_groups([Colleague(1)], set()) == []
    assert coffee_groups([], set()) == []

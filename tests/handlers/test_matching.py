"""Mentoring matches on plain data: optimal against brute force, and every constraint held."""

import random
from itertools import product

import pytest

from handlers.mentoring.matching import (
    Candidate,
    assign,
    fit,
    fit_matrix,
    overlap_hours,
)

SKILLS = ["python", "sql", "sales", "design", "hiring", "writing"]
DEPARTMENTS = ["Engineering", "Sales", "People", None]


def random_instance(
    rng: random.Random,
) -> tuple[list[Candidate], list[Candidate], set[tuple[int, int]]]:
    mentors = [
        Candidate(
            id=i,
            tags=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
            utc_offset=rng.choice([-8, -5, 0, 1, 8]),
            department=rng.choice(DEPARTMENTS),
            capacity=rng.randint(1, 2),
        )
        for i in range(rng.randint(1, 3))
    ]
    mentees = [
        Candidate(
            id=100 + i,
            tags=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
            utc_offset=rng.choice([-8, -5, 0, 1, 8]),
            department=rng.choice(DEPARTMENTS),
        )
        for i in range(rng.randint(1, 5))
    ]
    forbidden = {(m.id, e.id) for m in mentors for e in mentees if rng.random() < 0.2}
    return mentors, mentees, forbidden


def brute_force(
    mentors: list[Candidate], mentees: list[Candidate], forbidden: set[tuple[int, int]]
) -> float:
    """Try every way to give each mentee one mentor or nobody; keep the best legal total."""
    best = 0.0
    for choice in product([None, *mentors], repeat=len(mentees)):
        load: dict[int, int] = {}
        total = 0.0
        legal = True
        for mentee, mentor in zip(mentees, choice, strict=True):
            if mentor is None:
                continue
            found = fit(mentor, mentee)
            load[mentor.id] = load.get(mentor.id, 0) + 1
            if (
                found is None
                or (mentor.id, mentee.id) in forbidden
                or load[mentor.id] > mentor.capacity
            ):
                legal = False
                break
            total += found.score
        if legal:
            best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(200))
def test_assignment_is_optimal_and_legal(seed: int) -> None:
    rng = random.Random(seed)
    mentors, mentees, forbidden = random_instance(rng)
    result = assign(mentors, mentees, forbidden)
    assert result.total == pytest.approx(brute_force(mentors, mentees, forbidden))
    capacity = {m.id: m.capacity for m in mentors}
    for match in result.matches:
        assert (match.mentor_id, match.mentee_id) not in forbidden
        capacity[match.mentor_id] -= 1
        assert capacity[match.mentor_id] >= 0
        assert match.fit.shared
    assert len({m.mentee_id for m in result.matches}) == len(result.matches)


@pytest.mark.parametrize("seed", range(50))
def test_the_fit_matrix_agrees_with_fit(seed: int) -> None:
    mentors, mentees, forbidden = random_instance(random.Random(seed))
    matrix = fit_matrix(mentors, mentees, forbidden)
    for column, mentor in enumerate(mentors):
        for row, mentee in enumerate(mentees):
            found = fit(mentor, mentee)
            allowed = found is not None and (mentor.id, mentee.id) not in forbidden
            assert matrix[row, column] == pytest.approx(found.score if found and allowed else 0)


def test_greedy_would_be_worse_here() -> None:
    # Greedy gives the mentor to the first mentee's best match; the optimum shares them out.
    a = Candidate(1, frozenset({"python", "sql"}), 0)
    b = Candidate(2, frozenset({"python"}), 0)
    x = Candidate(10, frozenset({"python", "sql"}), 0)
    y = Candidate(11, frozenset({"sql"}), 0)
    result = assign([a, b], [x, y], set())
    pairs = {(m.mentor_id, m.mentee_id) for m in result.matches}
    assert pairs == {(1, 11), (2, 10)}
    assert result.total == pytest.approx(4.0)


def test_nobody_is_matched_with_themselves_or_without_a_shared_skill() -> None:
    both = Candidate(1, frozenset({"python"}), 0, capacity=2)
    stranger = Candidate(2, frozenset({"knitting"}), 0)
    result = assign([both], [both, stranger], set())
    assert result.matches == []


def test_capacity_zero_takes_nobody() -> None:
    mentor = Candidate(1, frozenset({"python"}), 0, capacity=0)
    assert assign([mentor], [Candidate(2, frozenset({"python"}), 0)], set()).matches == []


def test_the_fit_explains_itself() -> None:
    mentor = Candidate(1, frozenset({"python", "sql", "sales"}), 0.0, "Engineering")
    mentee = Candidate(2, frozenset({"sql", "python", "design"}), -5.0, "Sales")
    found = fit(mentor, mentee)
    assert found is not None
    assert found.shared == ("python", "sql")
    assert found.overlap_hours == 3.0
    assert found.cross_department
    assert found.score == pytest.approx(2 + 3 / 8 + 0.5)


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [(0, 0, 8), (0, 1, 7), (0, 8, 0), (0, -5, 3), (-8, 8, 0), (11, -11, 6), (5.5, 0, 2.5)],
)
def test_working_day_overlap(a: float, b: float, hours: float) -> None:
    assert overlap_hours(a, b) == hours

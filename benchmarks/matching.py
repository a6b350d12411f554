"""Mentoring matching at scale: 5,000 mentees x 1,000 mentors (capacity 1-5).

Synthetic people with skills, time zones, departments and a management tree. Reports the
solve time of the exact assignment, its total fit against a greedy baseline, and against the
optimum of the LP relaxation (an upper bound; bipartite b-matching is totally unimodular, so
an exact solver must reach it).

Run: .venv/bin/python -m benchmarks.matching [--mentees 5000 --mentors 1000 --seed 7]
"""

import argparse
import random
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from handlers.mentoring.matching import Candidate, assign, fit
from handlers.mentoring.rounds import reporting_line

SKILLS = [f"skill-{n}" for n in range(60)]
OFFSETS = [-8, -7, -5, -3, 0, 1, 2, 3, 5.5, 8, 9, 10]
DEPARTMENTS = [f"dept-{n}" for n in range(12)]


def synthetic(
    mentees: int, mentors: int, seed: int
) -> tuple[list[Candidate], list[Candidate], set[tuple[int, int]]]:
    rng = random.Random(seed)
    total = mentees + mentors
    # A management tree: everyone but the first ten reports to someone hired before them.
    managers: dict[int, int | None] = {
        person: (rng.randrange(person) if person >= 10 else None) for person in range(total)
    }
    ids = list(range(total))
    rng.shuffle(ids)

    def person(pid: int, tags: int, capacity: int = 1) -> Candidate:
        return Candidate(
            pid,
            frozenset(rng.sample(SKILLS, tags)),
            rng.choice(OFFSETS),
            rng.choice(DEPARTMENTS),
            capacity,
        )

    mentor_side = [person(pid, rng.randint(3, 6), rng.randint(1, 5)) for pid in ids[:mentors]]
    mentee_side = [person(pid, rng.randint(2, 4)) for pid in ids[mentors:]]
    mentor_ids = {m.id for m in mentor_side}
    forbidden: set[tuple[int, int]] = set()
    for mentee in mentee_side:
        for boss in reporting_line(mentee.id, managers) & mentor_ids:
            forbidden.add((boss, mentee.id))
    for mentor in mentor_side:
        mentee_ids = reporting_line(mentor.id, managers) - mentor_ids
        forbidden |= {(mentor.id, above) for above in mentee_ids}
    return mentor_side, mentee_side, forbidden


def greedy(
    mentors: list[Candidate], mentees: list[Candidate], forbidden: set[tuple[int, int]]
) -> float:
    """Best pair first while capacity lasts: the obvious baseline."""
    edges = []
    for mentor in mentors:
        for mentee in mentees:
            if mentor.tags.isdisjoint(mentee.tags) or (mentor.id, mentee.id) in forbidden:
                continue
            found = fit(mentor, mentee)
            if found is not None:
                edges.append((found.score, mentor.id, mentee.id))
    edges.sort(reverse=True)
    left = {m.id: m.capacity for m in mentors}
    taken: set[int] = set()
    total = 0.0
    for score, mentor_id, mentee_id in edges:
        if left[mentor_id] and mentee_id not in taken:
            left[mentor_id] -= 1
            taken.add(mentee_id)
            total += score
    return total


def lp_bound(
    mentors: list[Candidate], mentees: list[Candidate], forbidden: set[tuple[int, int]]
) -> float:
    """The optimum of the LP relaxation: x in [0, 1] per allowed pair, each mentee at most
    one, each mentor at most their capacity."""
    mentor_row = {m.id: i for i, m in enumerate(mentors)}
    mentee_row = {m.id: len(mentors) + i for i, m in enumerate(mentees)}
    rows, columns, gains = [], [], []
    for mentor in mentors:
        for mentee in mentees:
            if mentor.tags.isdisjoint(mentee.tags) or (mentor.id, mentee.id) in forbidden:
                continue
            found = fit(mentor, mentee)
            if found is None:
                continue
            column = len(gains)
            gains.append(found.score)
            rows += [mentor_row[mentor.id], mentee_row[mentee.id]]
            columns += [column, column]
    limits = [m.capacity for m in mentors] + [1] * len(mentees)
    matrix = coo_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(limits), len(gains))
    ).tocsr()
    solved = linprog(-np.array(gains), A_ub=matrix, b_ub=limits, bounds=(0, 1), method="highs")
    return float(-solved.fun)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    mentors, mentees, forbidden = synthetic(args.mentees, args.mentors, args.seed)
    capacity = sum(m.capacity for m in mentors)
    print(
        f"{len(mentees)} mentees, {len(mentors)} mentors (capacity {capacity}), "
        f"{len(forbidden)} forbidden pairs (reporting lines)"
    )
    started = time.perf_counter()
    exact = assign(mentors, mentees, forbidden)
    solve = time.perf_counter() - started
    baseline = greedy(mentors, mentees, forbidden)
    bound = lp_bound(mentors, mentees, forbidden)
    print(
        f"exact assignment: {exact.total:.3f} total fit, {len(exact.matches)} pairs, {solve:.2f} s"
    )
    print(f"greedy baseline:  {baseline:.3f} ({baseline / exact.total:.2%} of exact)")
    print(f"LP upper bound:   {bound:.3f} (exact reaches {exact.total / bound:.4%})")


if __name__ == "__main__":
    main()

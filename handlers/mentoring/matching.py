"""The maths of mentoring matches, on plain data: no store, no chat.

Mentoring is an assignment problem: each mentee gets at most one mentor, each mentor at most
`capacity` mentees, and the total fit is as large as it can be. Capacity expansion turns it
into a rectangular assignment that scipy's linear_sum_assignment solves exactly: a mentor with
capacity c becomes c identical columns. A pair that may not be matched weighs 0 and every
allowed pair weighs more, so a full assignment of the shorter side that uses a 0 cell is the
same as leaving that person unmatched: dropping those cells gives an optimal matching.

numpy and scipy are imported by the functions that solve, on the first round: the rest of
the bot starts without them.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

WORKDAY_HOURS = 8.0

# Weights of the fit: a shared skill counts most; a full shared working day (8 hours) is
# worth as much as one shared skill; meeting across departments is a smaller bonus.
SKILL_WEIGHT = 1.0
OVERLAP_WEIGHT = 1.0
CROSS_DEPARTMENT_BONUS = 0.5


@dataclass(frozen=True)
class Candidate:
    """One side of a possible pair. `tags` are skills offered (mentor) or goals (mentee);
    `utc_offset` is in hours at the time of the round."""

    id: int
    tags: frozenset[str]
    utc_offset: float
    department: str | None = None
    capacity: int = 1


@dataclass(frozen=True)
class Fit:
    score: float
    shared: tuple[str, ...]
    overlap_hours: float
    cross_department: bool


@dataclass(frozen=True)
class Match:
    mentor_id: int
    mentee_id: int
    fit: Fit


@dataclass
class Assignment:
    matches: list[Match] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(m.fit.score for m in self.matches)


def overlap_hours(offset_a: float, offset_b: float) -> float:
    """Hours two people share of a 09:00–17:00 working day, given their UTC offsets."""
    apart = abs(offset_a - offset_b) % 24
    apart = min(apart, 24 - apart)
    return max(0.0, WORKDAY_HOURS - apart)


def fit(mentor: Candidate, mentee: Candidate) -> Fit | None:
    """How well a mentor suits a mentee; None when they share no skill, since a pairing
    without anything to learn is not worth proposing."""
    shared = tuple(sorted(mentor.tags & mentee.tags))
    if not shared:
        return None
    hours = overlap_hours(mentor.utc_offset, mentee.utc_offset)
    cross = bool(mentor.department and mentee.department) and (
        mentor.department != mentee.department
    )
    score = (
        SKILL_WEIGHT * len(shared)
        + OVERLAP_WEIGHT * hours / WORKDAY_HOURS
        + (CROSS_DEPARTMENT_BONUS if cross else 0.0)
    )
    return Fit(round(score, 6), shared, hours, cross)


def fit_matrix(
    mentors: list[Candidate], mentees: list[Candidate], forbidden: set[tuple[int, int]]
) -> "np.ndarray":
    """`fit(mentor, mentee).score` for every pair at once (mentees x mentors), 0 where they
    may not be matched. Whole-array maths: a Python loop over millions of pairs is too slow."""
    import numpy as np

    vocabulary = {
        tag: n for n, tag in enumerate(sorted({t for c in mentors + mentees for t in c.tags}))
    }

    def incidence(side: list[Candidate]) -> np.ndarray:
        table = np.zeros((len(side), len(vocabulary)))
        for row, person in enumerate(side):
            table[row, [vocabulary[t] for t in person.tags]] = 1.0
        return table

    shared = incidence(mentees) @ incidence(mentors).T
    apart = (
        np.abs(
            np.array([m.utc_offset for m in mentees])[:, None]
            - np.array([m.utc_offset for m in mentors])[None, :]
        )
        % 24
    )
    hours = np.maximum(0.0, WORKDAY_HOURS - np.minimum(apart, 24 - apart))
    mentee_departments = np.array([m.department or "" for m in mentees], dtype=object)
    mentor_departments = np.array([m.department or "" for m in mentors], dtype=object)
    cross = (
        (mentee_departments[:, None] != mentor_departments[None, :])
        & (mentee_departments[:, None] != "")
        & (mentor_departments[None, :] != "")
    )
    scores: np.ndarray = np.asarray(
        np.round(
            SKILL_WEIGHT * shared
            + OVERLAP_WEIGHT * hours / WORKDAY_HOURS
            + CROSS_DEPARTMENT_BONUS * cross.astype(float),
            6,
        ),
        dtype=float,
    )
    scores[shared == 0] = 0.0
    mentee_index = {m.id: row for row, m in enumerate(mentees)}
    mentor_index = {m.id: column for column, m in enumerate(mentors)}
    for mentor_id, mentee_id in forbidden:
        if mentor_id in mentor_index and mentee_id in mentee_index:
            scores[mentee_index[mentee_id], mentor_index[mentor_id]] = 0.0
    for mentee_id, row in mentee_index.items():
        if mentee_id in mentor_index:
            scores[row, mentor_index[mentee_id]] = 0.0
    return scores


def assign(
    mentors: list[Candidate],
    mentees: list[Candidate],
    forbidden: set[tuple[int, int]],
) -> Assignment:
    """The assignment of mentees to mentors with the largest total fit.

    `forbidden` holds (mentor id, mentee id) pairs that may never be matched: reporting lines,
    past pairs, do-not-pair lists, oneself. Capacity is never exceeded.
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    capacities = [max(m.capacity, 0) for m in mentors]
    if not sum(capacities) or not mentees:
        return Assignment()
    # Capacity expansion: a mentor's columns are identical copies, one per free place.
    slots = np.repeat(np.arange(len(mentors)), capacities)
    weights = fit_matrix(mentors, mentees, forbidden)[:, slots]
    rows, columns = linear_sum_assignment(weights, maximize=True)
    result = Assignment()
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        if weights[row, column] > 0:
            mentor, mentee = mentors[slots[column]], mentees[row]
            found = fit(mentor, mentee)
            assert found is not None
            result.matches.append(Match(mentor.id, mentee.id, found))
    return result

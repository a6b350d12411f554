"""The interaction graph as plain data: people, and edges as whole arrays (kinds: KINDS below,
each named by the feature that records it).

The metrics take edges as plain tuples (source, target, kind, weight, when), so the bot (from
the `interaction` table), the benchmark and the StackExchange validation run the same code.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from handlers.coffee.history import COFFEE
from handlers.ideas.history import COAUTHOR, COMMENT, VOTE
from handlers.kudos.history import KUDOS
from handlers.mentoring.history import MENTORING
from handlers.qa.history import ANSWER, REPLY

# Every kind of interaction the features record, in the order of their codes.
KINDS: tuple[str, ...] = (KUDOS, ANSWER, MENTORING, COFFEE, VOTE, COAUTHOR, COMMENT, REPLY)

# Meetings and co-authorship are mutual by nature: stored once, never "unreciprocated".
SYMMETRIC = frozenset({MENTORING, COFFEE, COAUTHOR})
# What counts as reach for an idea's authors.
IDEA_KINDS = frozenset({VOTE, COAUTHOR, COMMENT})

EdgeRow = tuple[int, int, str, float, datetime]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Member:
    """A person as the metrics see them; `roles` and `manager_id` matter only for fairness."""

    id: int
    name: str
    department: str | None
    roles: tuple[str, ...] = ()
    manager_id: int | None = None


@dataclass(frozen=True)
class EdgeTable:
    """Edges as parallel arrays: person ids, kind codes (indexes into KINDS), weights and
    UTC epoch seconds. Unknown kinds are kept under their own codes after KINDS."""

    source: IntArray
    target: IntArray
    kind: IntArray
    weight: FloatArray
    at: FloatArray
    kinds: tuple[str, ...] = field(default=KINDS)

    def __len__(self) -> int:
        return len(self.source)

    def code(self, kind: str) -> int:
        return self.kinds.index(kind) if kind in self.kinds else -1


def edge_columns(
    source: npt.ArrayLike,
    target: npt.ArrayLike,
    kind: Sequence[str],
    weight: npt.ArrayLike,
    at: npt.ArrayLike,
) -> EdgeTable:
    """Edges from parallel columns, times as UTC epoch seconds."""
    kinds = list(KINDS)
    kinds += sorted(set(kind) - set(kinds))
    codes = {name: i for i, name in enumerate(kinds)}
    return EdgeTable(
        np.asarray(source, dtype=np.int64),
        np.asarray(target, dtype=np.int64),
        np.fromiter((codes[k] for k in kind), dtype=np.int64, count=len(kind)),
        np.asarray(weight, dtype=np.float64),
        np.asarray(at, dtype=np.float64),
        tuple(kinds),
    )


def edge_table(rows: Iterable[EdgeRow]) -> EdgeTable:
    found = list(rows)
    return edge_columns(
        [r[0] for r in found],
        [r[1] for r in found],
        [r[2] for r in found],
        [r[3] for r in found],
        [r[4].timestamp() for r in found],
    )


@dataclass(frozen=True)
class People:
    """Members indexed 0..n-1 with department codes (-1: no department)."""

    members: Sequence[Member]
    ids: IntArray  # sorted person ids
    order: IntArray  # members[order[i]] has ids[i]
    departments: tuple[str, ...]
    department: IntArray  # department code per index (index i is members[order[i]])

    @property
    def size(self) -> int:
        return len(self.ids)

    def index(self, person_ids: IntArray) -> IntArray:
        """Indexes of the given ids; -1 for anyone who is not a member."""
        if not self.size or not len(person_ids):
            return np.full(len(person_ids), -1, dtype=np.int64)
        if self.ids[0] < 0:  # not database ids (a dump's "Community" user is -1)
            at = np.minimum(np.searchsorted(self.ids, person_ids), self.size - 1)
            return np.where(self.ids[at] == person_ids, at, -1).astype(np.int64)
        # A lookup table over the id range: a million edges in milliseconds, where a binary
        # search took a second.
        lookup = np.full(int(max(self.ids[-1], person_ids.max())) + 1, -1, dtype=np.int64)
        lookup[self.ids] = np.arange(self.size)
        found: IntArray = lookup[np.maximum(person_ids, 0)]
        return np.where(person_ids >= 0, found, -1)

    def member(self, i: int) -> Member:
        return self.members[int(self.order[i])]


def people_index(members: Sequence[Member]) -> People:
    raw = np.asarray([m.id for m in members], dtype=np.int64)
    order = np.argsort(raw, kind="stable").astype(np.int64)
    departments = tuple(sorted({m.department for m in members if m.department}))
    codes = {name: i for i, name in enumerate(departments)}
    department = np.asarray(
        [codes.get(members[int(i)].department or "", -1) for i in order], dtype=np.int64
    )
    return People(members, raw[order], order, departments, department)

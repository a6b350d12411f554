"""What the insights say about one time window: plain dataclasses for the digest and dashboard."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

IsolationReason = Literal["no_interactions", "own_team_only"]


@dataclass(frozen=True)
class PersonMetrics:
    """One person over the window. `betweenness` is normalised (0..1, networkx's scale);
    `cross_department_ties` counts distinct people in other departments they interacted
    with; `idea_reach` distinct people from other departments who voted for, commented on or
    co-authored their ideas; `people_helped` distinct people their accepted answers helped."""

    person_id: int
    name: str
    department: str | None
    activity: int
    kudos_given: int
    kudos_received: int
    answers_given: int
    people_helped: int
    ties: int
    cross_department_ties: int
    betweenness: float
    idea_reach: int
    last_interaction: datetime | None


@dataclass(frozen=True)
class Isolated:
    """Someone with no interactions in the last `weeks` weeks, or only inside their own
    department. Sensitive: for community managers' eyes only, never a channel."""

    person_id: int
    name: str
    department: str | None
    reason: IsolationReason
    weeks: int
    last_interaction: datetime | None


@dataclass(frozen=True)
class DepartmentMetrics:
    name: str
    people: int
    active_people: int
    interactions: int
    kudos_given: int
    kudos_received: int
    answers_given: int
    cross_department_ties: int
    isolated: int


@dataclass(frozen=True)
class CommunityMetrics:
    """Whole-workspace figures. Ties are distinct pairs of people who interacted; density is
    cross-department ties over all possible cross-department pairs; reciprocity the share of
    one-way relations (kudos, answers, votes, comments, replies) returned in the window.
    Growth is relative to the window of the same length just before (None from zero)."""

    people: int
    active_people: int
    interactions: int
    ties: int
    cross_department_ties: int
    cross_department_share: float
    cross_department_density: float
    reciprocity: float
    previous_interactions: int
    previous_active_people: int
    previous_ties: int
    interactions_growth: float | None
    active_people_growth: float | None
    ties_growth: float | None
    by_kind: dict[str, int]
    department_ties: dict[tuple[str, str], int]


@dataclass
class Insights:
    start: datetime
    end: datetime
    people: list[PersonMetrics]
    departments: list[DepartmentMetrics]
    community: CommunityMetrics
    isolated: list[Isolated]
    _by_id: dict[int, PersonMetrics] = field(default_factory=dict, repr=False)

    def person(self, person_id: int) -> PersonMetrics | None:
        if not self._by_id:
            self._by_id = {p.person_id: p for p in self.people}
        return self._by_id.get(person_id)

    def connectors(self, top: int = 5) -> list[PersonMetrics]:
        """Who bridges departments: highest betweenness among people with a tie outside their
        department; more cross-department ties break a tie."""
        found = [p for p in self.people if p.cross_department_ties > 0]
        found.sort(key=lambda p: (-p.betweenness, -p.cross_department_ties, p.person_id))
        return found[:top]

    def mavens(self, top: int = 5) -> list[PersonMetrics]:
        """Who answers: most accepted answers, then most people helped."""
        found = [p for p in self.people if p.answers_given > 0]
        found.sort(key=lambda p: (-p.answers_given, -p.people_helped, p.person_id))
        return found[:top]

    def salespeople(self, top: int = 5) -> list[PersonMetrics]:
        """Whose ideas travel: most distinct supporters from other departments."""
        found = [p for p in self.people if p.idea_reach > 0]
        found.sort(key=lambda p: (-p.idea_reach, p.person_id))
        return found[:top]

    def summary(self, top: int = 5) -> "Summary":
        return Summary(
            self.start,
            self.end,
            self.community,
            self.connectors(top),
            self.mavens(top),
            self.salespeople(top),
            len(self.isolated),
        )


@dataclass(frozen=True)
class Summary:
    """Digest-sized: the community figures and the top few of each kind. The isolated are
    only counted here; who they are is in Insights.isolated, for community managers."""

    start: datetime
    end: datetime
    community: CommunityMetrics
    connectors: list[PersonMetrics]
    mavens: list[PersonMetrics]
    salespeople: list[PersonMetrics]
    isolated_count: int

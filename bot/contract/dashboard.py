"""What a feature shows on the dashboard: panels of plain data, which the dashboard draws.

Each feature lists its parts in `Feature.dashboard`; handlers/dashboard asks each part for
its panel and draws cards, charts and tables from it, so the dashboard imports no feature and
a feature never writes HTML. What a panel holds is exactly what is shown (and exported as
CSV): a feature applies its own rules (the anonymity threshold, who may see what) before it
hands the numbers over.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.roles import Role
from bot.models import Workspace
from bot.time.weeks import Week, monday_of
from bot.wiring.config import Settings

Page = Literal["trends", "network"]


@dataclass(frozen=True)
class View:
    """What the reader asked for: a workspace, calendar weeks and the filters."""

    workspace: Workspace
    settings: Settings
    now: datetime
    weeks: Sequence[Week]  # complete calendar weeks, oldest first
    department: str | None = None  # None: everyone
    # Filters a part offers itself (`Choice`), by name, as the reader set them.
    chosen: Mapping[str, str] = field(default_factory=dict)

    @property
    def this_week(self) -> tuple[datetime, datetime]:
        """Monday 00:00 of the current week until now."""
        return monday_of(self.now, self.workspace.timezone), self.now

    @property
    def last_week_so_far(self) -> tuple[datetime, datetime]:
        """The same stretch of the week before, so that a change compares like with like."""
        start, end = self.this_week
        return start - timedelta(weeks=1), end - timedelta(weeks=1)


@dataclass(frozen=True)
class Card:
    """A headline figure and the same figure for the period before (None: nothing to show,
    such as a score under the anonymity threshold)."""

    label: str
    value: float | None
    previous: float | None
    unit: str = ""
    # What the two figures are about, e.g. "latest closed run against the one before".
    period: str = ""
    signed: bool = False  # shown with its sign (eNPS)


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float | None]  # one per x label; None: a gap


@dataclass(frozen=True)
class Trend:
    """Lines over labelled points (weeks, survey runs)."""

    title: str
    description: str  # the text alternative: what the chart shows and how to read it
    labels: Sequence[str]
    lines: Sequence[Line]
    y_range: tuple[float, float] | None = None
    # Counts: all zero is nothing to draw. Otherwise (scores) only all hidden is.
    counts: bool = True
    # Said instead of a chart with nothing to draw; by default, that the weeks held nothing.
    empty: str = ""


@dataclass(frozen=True)
class Heatmap:
    """Rows by columns of numbers; a None cell is hidden and says so."""

    title: str
    description: str
    rows: Sequence[str]
    columns: Sequence[str]
    cells: Sequence[Sequence[float | None]]  # [row][column]
    ranges: Sequence[tuple[float, float]]  # per row: its scale, lowest to highest
    hidden: str = "hidden"  # what a hidden cell says


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    group: str
    size: float = 1.0  # people in it, for a group drawn as one node
    highlighted: bool = False


@dataclass(frozen=True)
class Graph:
    """Who interacts with whom: people or whole groups as nodes, ties as weighted edges."""

    title: str
    description: str
    nodes: Sequence[Node]
    edges: Sequence[tuple[int, int, float]]
    grouped: bool = False  # each node a group of `size` people, not a person


@dataclass(frozen=True)
class Table:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[object]]


Figure = Trend | Heatmap | Graph


@dataclass(frozen=True)
class Choice:
    """A filter a part offers: the reader picks one of `options` (value, label)."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Panel:
    title: str
    cards: Sequence[Card] = ()
    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()
    notes: Sequence[str] = ()
    choices: Sequence[Choice] = ()
    # Set when it names or draws people one by one: each read is written to the audit log
    # with this detail (what was read). None: aggregates only.
    audit: Mapping[str, object] | None = None


@dataclass(frozen=True)
class Part:
    """One panel a feature adds to a page, for the roles that may see it (admins always)."""

    page: Page
    panel: Callable[[AsyncSession, View], Awaitable[Panel | None]]
    roles: frozenset[Role] = frozenset({Role.COMMUNITY_MANAGER, Role.HR})
    order: int = 50  # panels are shown in this order, then by feature

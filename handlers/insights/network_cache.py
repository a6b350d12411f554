"""Repeated views of the network page reuse its last computation while the inputs are unchanged.

The page is weeks of insights (graph, sampled betweenness, connectors) computed from a
workspace's people and interaction rows. Each view first reads a fingerprint of what the page
is made from, in two cheap queries, and reuses the result computed under an equal fingerprint:

- the people: a digest of every non-bot person's id, name, department, roles and manager, so
  a rename, a move, a newcomer or an erasure (which deletes the person's row and hands their
  edges to a stand-in marked as a bot) changes it;
- the interaction rows of the page's weeks: count, highest id, earliest and latest time, and
  the sums of both ends and of the weights. A new row raises the count or the highest id (or
  the latest time, where SQLite gives it the id of an undone last row), an undone one lowers
  the count, a re-pointed one changes the sums, and an edge that the
  sliding window leaves behind (or a dated one it reaches) changes the earliest (or latest)
  time. So no window key is needed: an earlier view's result is the same result, with the
  window's dates moved to now. The weeks before, which the insights also read for growth,
  reach nothing on the page (a test in tests/handlers/test_dashboard.py checks that).

The cache lives in one process (each replica keeps its own and may compute once) and holds
the latest result of at most `size` workspaces; nothing is shared that could go stale.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Graph
from bot.kit.i18n import current
from bot.models import Interaction, Person, Workspace
from handlers.insights import network_view as data

Compute = Callable[[AsyncSession, Workspace, datetime], Awaitable[data.Network]]
SIZE = 64


@dataclass(frozen=True)
class Fingerprint:
    people: bytes
    edges: tuple[object, ...]  # count, highest id, earliest and latest time, sums


async def people_digest(session: AsyncSession, workspace_id: int) -> bytes:
    connection = await session.connection()
    rows = await connection.execute(
        select_columns(
            col(Person.id),
            col(Person.display_name),
            col(Person.department),
            col(Person.roles),
            col(Person.manager_id),
        )
        .where(col(Person.workspace_id) == workspace_id, col(Person.is_bot).is_(False))
        .order_by(col(Person.id))
    )
    return hashlib.sha256(repr([tuple(row) for row in rows.all()]).encode()).digest()


async def edge_summary(
    session: AsyncSession, workspace_id: int, now: datetime
) -> tuple[object, ...]:
    at = col(Interaction.occurred_at)
    query = select_columns(
        func.count(),
        func.max(col(Interaction.id)),
        func.min(at),
        func.max(at),
        func.sum(col(Interaction.source_id)),
        func.sum(col(Interaction.target_id)),
        func.sum(col(Interaction.weight)),
    ).where(
        col(Interaction.workspace_id) == workspace_id,
        at >= data.network_since(now),
        at < now,
    )
    connection = await session.connection()
    return tuple((await connection.execute(query)).one())


async def fingerprint(session: AsyncSession, workspace_id: int, now: datetime) -> Fingerprint:
    return Fingerprint(
        await people_digest(session, workspace_id), await edge_summary(session, workspace_id, now)
    )


@dataclass
class _Entry:
    key: Fingerprint
    result: data.Network
    # Made on the first view that needs each, by department (None: everyone).
    # By department and the language the figure's words are in.
    figures: dict[tuple[str | None, str], Graph] = field(default_factory=dict)


class NetworkCache:
    """`network` answers like `compute` (data.network by default); `computations` counts the
    times it had to call it, `made` the times `figure` had to make one."""

    def __init__(self, compute: Compute = data.network, size: int = SIZE) -> None:
        self.compute = compute
        self.size = size
        self.computations = 0
        self.made = 0
        self._latest: OrderedDict[int, _Entry] = OrderedDict()

    async def network(
        self, session: AsyncSession, workspace: Workspace, now: datetime
    ) -> data.Network:
        assert workspace.id is not None
        # Fingerprint and result must describe the same rows: the caller reads both in one
        # snapshot (routes.guarded does on PostgreSQL; SQLite transactions are one already).
        key = await fingerprint(session, workspace.id, now)
        found = self._latest.get(workspace.id)
        if found is not None and found.key == key:
            self._latest.move_to_end(workspace.id)
            return replace(found.result, since=data.network_since(now), until=now)
        result = await self.compute(session, workspace, now)
        self.computations += 1
        self._latest[workspace.id] = _Entry(key, result)
        self._latest.move_to_end(workspace.id)
        while len(self._latest) > self.size:
            self._latest.popitem(last=False)
        return result

    def figure(
        self,
        workspace_id: int,
        department: str | None,
        make: Callable[[data.Network, str | None], Graph],
    ) -> Graph:
        """The figure of the network `network` last answered for the workspace, made once per
        computation and department (the picture does not change with the window's dates).
        The same object each time, so that the dashboard draws it once too."""
        entry = self._latest[workspace_id]
        key = (department, current())
        if key not in entry.figures:
            entry.figures[key] = make(entry.result, department)
            self.made += 1
        return entry.figures[key]

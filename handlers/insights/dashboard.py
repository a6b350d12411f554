"""The network page: who works with whom, the connectors and the mavens. For community
managers (and admins): it shows people one by one, so every read is audited.

A big workspace is drawn as departments with the ties between them; choosing a department
draws its people (handlers/insights/network_view.py decides which picture fits).
"""

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Graph, Node, Panel, Part, Table, View
from bot.kit.roles import Role
from bot.kit.wording import counted
from handlers.insights.network_cache import NetworkCache
from handlers.insights.network_view import Groups, Network, Picture

# One per process: each replica keeps its own (handlers/insights/network_cache.py).
CACHE = NetworkCache()
PEOPLE = (
    "Each dot is a person, placed with their department and shaped by it; a line is an "
    "interaction between two people, darker when more frequent. Connectors (who bridge "
    "departments) are drawn larger with a ring and named; the tables below list them."
)
GROUPS = (
    "Each circle is a department, larger with more people, labelled with its name and size; "
    "a line is the interactions between two departments, thicker when more. Too many people "
    "to draw one by one: choose a department to see its people. The tables below list the "
    "departments, connectors and mavens."
)


def graph(found: Network, department: str | None) -> Graph:
    picture = found.picture(department)
    if isinstance(picture, Groups):
        return _groups(picture)
    return _people(picture)


def _people(picture: Picture) -> Graph:
    return Graph(
        "Who works with whom",
        PEOPLE,
        [
            Node(p, picture.names.get(p, ""), d, 1.0, p in picture.highlighted)
            for p, d in sorted(picture.departments.items())
        ],
        picture.edges,
    )


def _groups(groups: Groups) -> Graph:
    number = {name: n for n, name in enumerate(groups.sizes)}
    return Graph(
        "Ties between departments",
        GROUPS,
        [Node(number[n], n, n, float(size)) for n, size in groups.sizes.items()],
        [(number[a], number[b], w) for a, b, w in groups.ties],
        grouped=True,
    )


def _departments(found: Network) -> Table:
    groups = found.groups()
    ties: dict[str, float] = dict.fromkeys(groups.sizes, 0.0)
    for a, b, weight in groups.ties:
        ties[a] += weight
        ties[b] += weight
    return Table(
        "Departments",
        ("department", "people", "interactions with other departments (heaviest ties)"),
        [(name, size, round(ties[name], 1)) for name, size in groups.sizes.items()],
    )


async def panel(session: AsyncSession, view: View) -> Panel:
    workspace = view.workspace
    found = await CACHE.network(session, workspace, view.now)
    figure = CACHE.figure(workspace.id or 0, view.department, graph)
    shown = len(figure.nodes) if not figure.grouped else 0
    return Panel(
        f"Interactions {found.since.date().isoformat()} to {found.until.date().isoformat()}",
        figures=[figure],
        tables=[
            _departments(found),
            Table(
                "Connectors",
                ("name", "department", "ties to other departments", "betweenness"),
                [(n, d, t, round(b, 3)) for n, d, t, b in found.connectors],
            ),
            Table(
                "Mavens",
                ("name", "department", "accepted answers", "people helped"),
                found.mavens,
            ),
        ],
        notes=[
            f"{counted(found.interactions, 'interaction')} in this window among "
            f"{counted(found.people, 'person', 'people')}; the picture shows "
            + (
                f"{shown} of them one by one (the most connected, when there are many)."
                if shown
                else "departments as groups."
            )
        ],
        audit={
            "people": shown,
            "since": found.since.isoformat(),
            "until": found.until.isoformat(),
        },
    )


PARTS = (Part("network", panel, roles=frozenset({Role.COMMUNITY_MANAGER})),)

"""The network page: who works with whom, the connectors and the mavens. For community
managers (and admins): it shows people one by one, so every read is audited."""

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Graph, Node, Panel, Part, Table, View
from bot.kit.roles import Role
from bot.kit.wording import counted
from handlers.insights.network_cache import NetworkCache
from handlers.insights.network_view import Network

# One per process: each replica keeps its own (handlers/insights/network_cache.py).
CACHE = NetworkCache()


def graph(found: Network) -> Graph:
    picture = found.picture
    return Graph(
        "Who works with whom",
        "Each dot is a person, placed with their department; a line is an interaction "
        "between two people, darker when more frequent. Connectors (who bridge departments) "
        "are drawn larger with a ring and named; the tables below list them.",
        [
            Node(
                person,
                picture.names.get(person, ""),
                department,
                1.0,
                person in picture.highlighted,
            )
            for person, department in sorted(picture.departments.items())
        ],
        picture.edges,
    )


async def panel(session: AsyncSession, view: View) -> Panel:
    workspace = view.workspace
    found = await CACHE.network(session, workspace, view.now)
    figure = CACHE.figure(workspace.id or 0, graph)
    return Panel(
        f"Interactions {found.since.date().isoformat()} to {found.until.date().isoformat()}",
        figures=[figure],
        tables=[
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
            f"{counted(found.interactions, 'interaction')} in this window; the picture shows "
            f"{len(found.picture.departments)} of {counted(found.people, 'person', 'people')} "
            "(the most connected, when there are many)."
        ],
        audit={
            "people": len(found.picture.departments),
            "since": found.since.isoformat(),
            "until": found.until.isoformat(),
        },
    )


PARTS = (Part("network", panel, roles=frozenset({Role.COMMUNITY_MANAGER})),)

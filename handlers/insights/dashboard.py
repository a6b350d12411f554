"""The network page: who works with whom, the connectors and the mavens. For community
managers (and admins): it shows people one by one, so every read is audited.

A big workspace is drawn as departments with the ties between them; choosing a department
draws its people (handlers/insights/network_view.py decides which picture fits).
"""

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Graph, Node, Panel, Part, Table, View
from bot.kit.i18n import format_date, format_number
from bot.kit.roles import Role
from bot.kit.tallies import department_label
from handlers.insights.i18n import N_, _, ngettext
from handlers.insights.network_cache import NetworkCache
from handlers.insights.network_view import Groups, Network, Picture

# One per process: each replica keeps its own (handlers/insights/network_cache.py).
CACHE = NetworkCache()
PEOPLE = N_(
    "Each dot is a person, placed with their department and shaped by it; a line is an "
    "interaction between two people, darker when more frequent. Connectors (who bridge "
    "departments) are drawn larger with a ring and named; the tables below list them."
)
GROUPS = N_(
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
        _("Who works with whom"),
        str(PEOPLE),
        [
            Node(p, picture.names.get(p, ""), department_label(d), 1.0, p in picture.highlighted)
            for p, d in sorted(picture.departments.items())
        ],
        picture.edges,
    )


def _groups(groups: Groups) -> Graph:
    number = {name: n for n, name in enumerate(groups.sizes)}
    return Graph(
        _("Ties between departments"),
        str(GROUPS),
        [Node(number[n], department_label(n), n, float(size)) for n, size in groups.sizes.items()],
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
        _("Departments"),
        (_("department"), _("people"), _("interactions with other departments (heaviest ties)")),
        [
            (department_label(name), size, round(ties[name], 1))
            for name, size in groups.sizes.items()
        ],
    )


async def panel(session: AsyncSession, view: View) -> Panel:
    workspace = view.workspace
    found = await CACHE.network(session, workspace, view.now)
    figure = CACHE.figure(workspace.id or 0, view.department, graph)
    shown = len(figure.nodes) if not figure.grouped else 0
    return Panel(
        _("Interactions {start} to {end}").format(
            start=format_date(found.since.date()), end=format_date(found.until.date())
        ),
        figures=[figure],
        tables=[
            _departments(found),
            Table(
                _("Connectors"),
                (_("name"), _("department"), _("ties to other departments"), _("betweenness")),
                [(n, d, t, round(b, 3)) for n, d, t, b in found.connectors],
            ),
            Table(
                _("Mavens"),
                (_("name"), _("department"), _("accepted answers"), _("people helped")),
                found.mavens,
            ),
        ],
        notes=[_note(found.interactions, found.people, shown)],
        audit={
            "people": shown,
            "since": found.since.isoformat(),
            "until": found.until.isoformat(),
        },
    )


def _note(interactions: int, people: int, shown: int) -> str:
    among = ngettext(
        "{count} interaction in this window", "{count} interactions in this window", interactions
    ).format(count=format_number(interactions))
    among = ngettext("{among} among {count} person", "{among} among {count} people", people).format(
        among=among, count=format_number(people)
    )
    if shown:
        return _(
            "{among}; the picture shows {shown} of them one by one (the most connected, when "
            "there are many)."
        ).format(among=among, shown=format_number(shown))
    return _("{among}; the picture shows departments as groups.").format(among=among)


PARTS = (Part("network", panel, roles=frozenset({Role.COMMUNITY_MANAGER})),)

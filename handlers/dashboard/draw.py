"""The dashboard's figures as inline SVG, each with its title and text alternative, drawn
for the language being spoken (the page's reader's).

A part that hands back the same figure object (the network's cache does, until its data
changes) is drawn once for each language: the drawing is the slow part of a page.
"""

from collections import OrderedDict

from bot.contract.dashboard import Graph, Trend
from bot.kit.i18n import current
from handlers import charts

SIZE = 64


def svg(figure: Trend | Graph, language: str) -> str:
    if isinstance(figure, Trend):
        drawn = charts.line_chart(
            figure.title,
            figure.labels,
            [charts.Series(line.label, line.values) for line in figure.lines],
            y_range=figure.y_range,
            language=language,
        )
    elif figure.grouped:
        drawn = charts.group_chart(
            figure.title,
            [(node.label, node.size) for node in figure.nodes],
            figure.edges,
            language=language,
        )
    else:
        drawn = charts.network_chart(figure.title, _picture(figure))
    return charts.svg(drawn, figure.title, figure.description)


def _picture(figure: Graph) -> charts.NetworkPicture:
    return charts.NetworkPicture(
        departments={node.id: node.group for node in figure.nodes},
        names={node.id: node.label for node in figure.nodes},
        edges=figure.edges,
        highlighted=frozenset(node.id for node in figure.nodes if node.highlighted),
    )


class Drawings:
    """The SVG of the latest figures drawn, by figure object and language; `drawn` counts
    the drawings."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.drawn = 0
        self._kept: OrderedDict[tuple[int, str], tuple[Trend | Graph, str]] = OrderedDict()

    def svg(self, figure: Trend | Graph) -> str:
        key = (id(figure), current())
        found = self._kept.get(key)
        if found is not None and found[0] is figure:
            self._kept.move_to_end(key)
            return found[1]
        text = svg(figure, key[1])
        self.drawn += 1
        # Keeping the figure keeps its id from being reused by another object.
        self._kept[key] = (figure, text)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return text

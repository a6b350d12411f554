"""What a page shows, as CSV: one row per number, the same numbers the page draws.

Hidden numbers stay hidden (an empty value, with what the page says in its place); a panel
that names people exports their names only to a reader who may see that panel, and the
export is audited like the read.
"""

import csv
import io
from collections.abc import Iterator

from bot.contract.dashboard import Graph, Heatmap, Panel, Trend
from handlers.dashboard.gather import Shown

HEADER = ("panel", "figure", "row", "column", "value")


def _figure_rows(panel: Panel) -> Iterator[tuple[object, ...]]:
    for shown in panel.figures:
        if isinstance(shown, Trend):
            for line in shown.lines:
                for label, value in zip(shown.labels, line.values, strict=True):
                    yield (panel.title, shown.title, line.label, label, value)
        elif isinstance(shown, Heatmap):
            for row, values in zip(shown.rows, shown.cells, strict=True):
                for column, value in zip(shown.columns, values, strict=True):
                    yield (
                        panel.title,
                        shown.title,
                        row,
                        column,
                        shown.hidden if value is None else value,
                    )
        elif isinstance(shown, Graph):
            names = {node.id: node.label for node in shown.nodes}
            for a, b, weight in shown.edges:
                yield (panel.title, shown.title, names.get(a, ""), names.get(b, ""), weight)


def rows(found: Shown) -> Iterator[tuple[object, ...]]:
    for panel in found.panels:
        for card in panel.cards:
            yield (panel.title, "headline", card.label, "now", card.value)
            yield (panel.title, "headline", card.label, "before", card.previous)
        yield from _figure_rows(panel)
        for table in panel.tables:
            for entry in table.rows:
                for column, value in zip(table.header[1:], entry[1:], strict=True):
                    yield (panel.title, table.title, entry[0], column, value)


def text(found: Shown) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(found):
        writer.writerow(["" if value is None else _safe(value) for value in row])
    return out.getvalue()


def _safe(value: object) -> object:
    """Names and titles are people's text: a leading = + - @ would run as a formula in a
    spreadsheet, so such a cell starts with a quote instead."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value

"""A heatmap as an HTML table: each cell shows its number as text on a shade of blue, and a
hidden cell is hatched and says why, so neither colour nor pattern carries meaning alone.

Text on every shade keeps at least 4.5:1 contrast (WCAG AA): dark ink on the light shades,
white on the dark ones (tests/handlers/test_charts.py computes each).
"""

from html import escape

from bot.contract.dashboard import Heatmap
from bot.kit.i18n import format_number
from handlers.dashboard.i18n import _

# Light to dark: the higher a value in its row's range, the darker its cell.
SHADES = ("#eef4fb", "#c6dbef", "#9ecae1", "#2f6fad", "#163f6b")
DARK_FROM = 3  # shades from here on take white text
INK = "#222222"
ON_DARK = "#ffffff"


def shade(value: float, low: float, high: float) -> int:
    share = 0.0 if high == low else (value - low) / (high - low)
    return min(len(SHADES) - 1, max(0, int(share * len(SHADES))))


def _cell(value: float | None, scale: tuple[float, float], hidden: str) -> str:
    if value is None:
        return f'<td class="hidden">{escape(hidden)}</td>'
    step = shade(value, *scale)
    ink = ON_DARK if step >= DARK_FROM else INK
    shown = signed(value) if scale[0] < 0 else format_number(value)
    return f'<td style="background:{SHADES[step]};color:{ink}">{escape(shown)}</td>'


def signed(value: float) -> str:
    """`+0.4`, `−1.2` (the minus sign of the language), `0`."""
    shown = format_number(value)
    return f"+{shown}" if value > 0 else shown


def table(heatmap: Heatmap) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in heatmap.columns)
    rows = "".join(
        f'<tr><th scope="row">{escape(row)}</th>'
        + "".join(_cell(v, heatmap.ranges[number], heatmap.hidden) for v in heatmap.cells[number])
        + "</tr>"
        for number, row in enumerate(heatmap.rows)
    )
    question = escape(_("question"))
    return (
        f'<figure><div class="scroll"><table class="heatmap"><caption>{escape(heatmap.title)}'
        f"</caption><tr><th>{question}</th>{head}</tr>{rows}</table></div>"
        f"<figcaption>{escape(heatmap.description)}</figcaption></figure>"
    )

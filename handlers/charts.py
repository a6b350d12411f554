"""Charts drawn with matplotlib, as SVG (the dashboard) or PNG (chat attachments).

Plain data in, bytes or text out: nothing here knows about the store or a platform. Figures
are built with the object API on the Agg canvas, never pyplot, so drawing is thread-safe and
leaves no global state behind. Every text is drawn as typed: names, titles and labels come
from people, and matplotlib would otherwise read `$...$` in them as mathtext (and fail on an
unknown command).

A chart is drawn for a reader: its caller writes the title, axis label and legend in the
reader's language, and hands that language (`language=`, else the one being spoken) for
the numbers on the axes and beside the groups (`1,5` in French, `12.345` in German).

matplotlib is imported where a figure is made or drawn, not with this module: a bot that
never draws a chart (or has not yet) does not pay its start-up time and memory.
"""

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Literal

from babel.numbers import format_decimal

from bot.kit.i18n import current

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Format = Literal["svg", "png"]
# Every colour has at least 4.5:1 contrast against the white background (WCAG AA for text,
# so also for lines and labels drawn in it; tests/handlers/test_charts.py computes it), and
# none is red: red marks connectors. Lines also differ by marker and dash, so nothing is
# told apart by colour alone.
PALETTE = ("#1f5a96", "#9c4a00", "#2b6e31", "#6a3d9a", "#00707a", "#6b6100", "#8a3b70")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", ":", "-.")
HIGHLIGHT = "#b00020"
INK = "#222222"
TIE = "#767676"
# Ties between groups are translucent so that where many meet reads darker; even one alone
# blends with the background to no less than 4.5:1.
GROUP_TIE_ALPHA = 0.85
BACKGROUND = "#ffffff"


@dataclass(frozen=True)
class Series:
    """One line: a label and a value per x label (None: nothing to show for that point)."""

    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class NetworkPicture:
    """People grouped by department; `highlighted` are drawn larger and in red."""

    departments: Mapping[int, str]  # person id -> department
    names: Mapping[int, str]
    edges: Sequence[tuple[int, int, float]]
    highlighted: frozenset[int] = field(default_factory=frozenset)


PNG_SCALE = 2


def render(figure: "Figure", kind: Format) -> bytes:
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    FigureCanvasAgg(figure)
    for text in figure.findobj(Text):
        text.set_parse_math(False)
        text.set_usetex(False)
    out = io.BytesIO()
    # SVG text stays text (not outlines): readable by screen readers and searchable. A fixed
    # salt makes element ids depend on content only, so the same data draws the same SVG.
    # Texts made while drawing (tick labels) take parse_math from here; those made before,
    # above.
    with rc_context(
        {
            "svg.fonttype": "none",
            "svg.hashsalt": "rapport",
            "text.parse_math": False,
            "text.usetex": False,
        }
    ):
        figure.savefig(
            out,
            format=kind,
            bbox_inches="tight",
            metadata=_metadata(kind),
            # Chat shows images on high-density screens: twice the figure's pixels stay sharp.
            dpi=PNG_SCALE * figure.dpi if kind == "png" else "figure",
        )
    return out.getvalue()


def _metadata(kind: Format) -> dict[str, str | None]:
    # Without fixed metadata the SVG carries a creation date and differs on every render.
    return {"Date": None} if kind == "svg" else {}


def svg(figure: "Figure", title: str = "", description: str = "") -> str:
    """The figure as an inline <svg> element (no XML prolog), ready to put in a page; with a
    title, also an image's role, <title> and <desc> for screen readers."""
    text = render(figure, "svg").decode()
    text = text[text.index("<svg") :]
    if not title:
        return text
    opening = text.index(">") + 1
    named = (
        f"<title>{escape(title, quote=False)}</title>"
        f"<desc>{escape(description, quote=False)}</desc>"
    )
    return (
        text[: opening - 1] + ' role="img"' + text[opening - 1 : opening] + named + text[opening:]
    )


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str = "",
    y_range: tuple[float, float] | None = None,
    language: str | None = None,
) -> "Figure":
    """Lines over labelled points (weeks, survey runs); gaps where a value is None."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.8), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    for number, line in enumerate(series):
        ys = [math.nan if v is None else v for v in line.values]
        axes.plot(
            positions,
            ys,
            marker=MARKERS[number % len(MARKERS)],
            linestyle=DASHES[number % len(DASHES)],
            label=line.label,
            color=PALETTE[number % len(PALETTE)],
        )
    _frame(axes, title, labels, y_label, language)
    if y_range is not None:
        axes.set_ylim(*y_range)
    else:
        _count_axis(axes, [v for line in series for v in line.values if v is not None])
    if len(series) > 1:
        axes.legend(loc="upper left", fontsize=8, frameon=False)  # not translated: a place
    return figure


def _count_axis(axes: "Axes", values: Sequence[float]) -> None:
    """Counts start at zero and tick at whole numbers: no "0.5 kudos", no axis below zero."""
    if not values or min(values) < 0:
        return
    axes.set_ylim(0, max(1.0, max(values)) * 1.1)
    if all(float(v).is_integer() for v in values):
        from matplotlib.ticker import MaxNLocator

        axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    y_label: str = "",
    language: str | None = None,
) -> "Figure":
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.8), dpi=100)
    axes = figure.add_subplot()
    axes.bar(range(len(labels)), values, color=PALETTE[0], hatch="//", edgecolor=BACKGROUND)
    _frame(axes, title, labels, y_label, language)
    return figure


def number(value: float, language: str | None) -> str:
    """A number as the reader's language writes it."""
    return format_decimal(value, locale=language or current())


def _frame(
    axes: "Axes", title: str, labels: Sequence[str], y_label: str, language: str | None
) -> None:
    from matplotlib.ticker import FuncFormatter

    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(value, language)))
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_xticks(range(len(labels)), labels, fontsize=8, rotation=30, ha="right")
    axes.set_ylabel(y_label, fontsize=9)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def cluster_layout(departments: Mapping[int, str]) -> dict[int, tuple[float, float]]:
    """Departments on a big circle, each department's people on a small circle around its
    centre: clusters stay apart however the edges run, and the layout is deterministic."""
    groups: dict[str, list[int]] = {}
    for person, department in sorted(departments.items()):
        groups.setdefault(department, []).append(person)
    positions: dict[int, tuple[float, float]] = {}
    names = sorted(groups)
    for index, name in enumerate(names):
        angle = 2 * math.pi * index / len(names)
        cx, cy = (math.cos(angle), math.sin(angle)) if len(names) > 1 else (0.0, 0.0)
        members = groups[name]
        radius = 0.12 + 0.02 * math.sqrt(len(members))
        for k, person in enumerate(members):
            theta = 2 * math.pi * k / len(members)
            positions[person] = (cx + radius * math.cos(theta), cy + radius * math.sin(theta))
    return positions


def network_chart(title: str, picture: NetworkPicture) -> "Figure":
    """One collection for the edges and one scatter per kind of dot, so that thousands of
    people draw in about the same time as ten."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 7), dpi=100)
    axes = figure.add_subplot()
    positions = cluster_layout(picture.departments)
    names = sorted(set(picture.departments.values()))
    colours = {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(names)}
    shapes = {d: MARKERS[i % len(MARKERS)] for i, d in enumerate(names)}
    _edges(axes, positions, picture.edges)
    # One scatter per department and size: each department has its own marker shape as well
    # as its colour; connectors are larger and ringed.
    for big in (False, True):
        for name in names:
            people = [
                p
                for p in positions
                if (p in picture.highlighted) == big and picture.departments[p] == name
            ]
            if not people:
                continue
            axes.scatter(
                [positions[p][0] for p in people],
                [positions[p][1] for p in people],
                s=160 if big else 50,
                c=colours[name],
                marker=shapes[name],
                edgecolors=HIGHLIGHT if big else BACKGROUND,
                linewidths=2.5 if big else 0.5,
                zorder=3,
            )
    for person in sorted(picture.highlighted & positions.keys()):
        axes.annotate(
            picture.names.get(person, ""),
            positions[person],
            fontsize=8,
            xytext=(6, 6),
            textcoords="offset points",  # not translated: matplotlib's unit
            color=HIGHLIGHT,
        )
    _department_labels(axes, positions, picture.departments, colours)
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_aspect("equal")
    axes.axis("off")
    return figure


def _edges(
    axes: "Axes",
    positions: Mapping[int, tuple[float, float]],
    edges: Sequence[tuple[int, int, float]],
) -> None:
    drawn = [(s, t, w) for s, t, w in edges if s in positions and t in positions]
    if not drawn:
        return
    from matplotlib.collections import LineCollection

    heaviest = max(w for _, _, w in drawn) or 1.0
    lines = LineCollection(
        [(positions[s], positions[t]) for s, t, _ in drawn],
        # Solid grey at 4.5:1 on white, heavier ties wider: faint translucent lines fell
        # under the contrast a graphical object needs.
        colors=TIE,
        linewidths=[0.4 + 2.0 * w / heaviest for _, _, w in drawn],
        zorder=1,
    )
    axes.add_collection(lines)


def _department_labels(
    axes: "Axes",
    positions: Mapping[int, tuple[float, float]],
    departments: Mapping[int, str],
    colours: Mapping[str, str],
) -> None:
    for name, colour in colours.items():
        points = [positions[p] for p, d in departments.items() if d == name]
        x = sum(p[0] for p in points) / len(points)
        y = max(p[1] for p in points) + 0.08
        axes.text(x, y, name, ha="center", fontsize=9, color=colour, weight="bold")


def group_chart(
    title: str,
    groups: Sequence[tuple[str, float]],
    ties: Sequence[tuple[int, int, float]],
    *,
    language: str | None = None,
) -> "Figure":
    """Groups (departments) on a circle, each a disc sized by its people and labelled with
    its name and size outside the circle; ties between groups as lines whose width grows
    with their weight. Dozens of groups stay legible where thousands of dots would not."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 7), dpi=100)
    axes = figure.add_subplot()
    count = max(len(groups), 1)
    angles = [2 * math.pi * n / count for n in range(len(groups))]
    spots = [(math.cos(a), math.sin(a)) for a in angles]
    heaviest = max((w for _, _, w in ties), default=1.0) or 1.0
    if ties:
        axes.add_collection(
            LineCollection(
                [(spots[a], spots[b]) for a, b, _ in ties],
                colors=PALETTE[0],
                alpha=GROUP_TIE_ALPHA,
                linewidths=[0.5 + 5 * w / heaviest for _, _, w in ties],
                zorder=1,
            )
        )
    largest = max((size for _, size in groups), default=1.0) or 1.0
    # A disc's diameter (in points) stays under the gap to its neighbours on the circle, about
    # 130 points a unit here, so that no two overlap however many groups there are.
    widest = min(30.0, 0.9 * 130 * 2 * math.pi / count)
    axes.scatter(
        [x for x, _ in spots],
        [y for _, y in spots],
        s=[max(4.0, widest * math.sqrt(size / largest)) ** 2 for _, size in groups],
        c=PALETTE[0],
        edgecolors=INK,
        linewidths=0.8,
        zorder=3,
    )
    for (name, size), angle in zip(groups, angles, strict=True):
        cos, sin = math.cos(angle), math.sin(angle)
        axes.text(
            1.12 * cos,
            1.12 * sin,
            f"{name} ({number(size, language)})",
            ha="left" if cos >= 0 else "right",
            va="center",
            rotation=math.degrees(angle) if cos >= 0 else math.degrees(angle) - 180,
            rotation_mode="anchor",
            fontsize=7 if count > 24 else 9,
            color=INK,
        )
    axes.set_title(title, fontsize=11, loc="left")
    axes.set_xlim(-1.8, 1.8)
    axes.set_ylim(-1.8, 1.8)
    axes.set_aspect("equal")
    axes.axis("off")
    return figure

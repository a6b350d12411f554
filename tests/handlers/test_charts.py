"""Charts render to SVG (dashboard) and PNG (chat attachments) from plain data."""

from handlers import charts
from handlers.charts import NetworkPicture, Series
from handlers.dashboard import heat


def test_a_line_chart_with_gaps_renders_as_inline_svg_and_png() -> None:
    figure = charts.line_chart(
        "eNPS",
        ["03 Jan", "10 Jan", "17 Jan"],
        [Series("eNPS", [20, None, -5])],
        y_range=(-100, 100),
    )
    svg = charts.svg(figure)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert ">eNPS<" in svg and "10 Jan" in svg  # text stays text, not outlines
    assert charts.svg(figure) == svg  # no timestamp: the same data draws the same picture
    png = charts.render(charts.bar_chart("Kudos", ["a", "b"], [3, 4]), "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    width = int.from_bytes(png[16:20], "big")  # the IHDR chunk's width
    assert width > 7 * 100 * 1.5  # 7 inches at twice 100 dpi, less the trimmed margins


def test_the_network_groups_departments_and_names_only_the_highlighted() -> None:
    picture = NetworkPicture(
        departments={1: "Eng", 2: "Eng", 3: "Sales", 4: "Ops"},
        names={1: "Ann", 2: "Bob", 3: "Eve", 4: "Fay"},
        edges=[(1, 2, 1.0), (2, 3, 3.0), (3, 4, 1.0)],
        highlighted=frozenset({3}),
    )
    positions = charts.cluster_layout(picture.departments)
    assert set(positions) == {1, 2, 3, 4}
    same = abs(positions[1][0] - positions[2][0]) + abs(positions[1][1] - positions[2][1])
    apart = abs(positions[1][0] - positions[3][0]) + abs(positions[1][1] - positions[3][1])
    assert same < apart
    svg = charts.svg(charts.network_chart("Who works with whom", picture))
    assert ">Eve<" in svg and ">Ann<" not in svg
    assert ">Eng<" in svg and ">Sales<" in svg and ">Ops<" in svg


def test_names_and_titles_are_drawn_as_plain_text_never_as_mathtext() -> None:
    odd = r"Sam $\nosuchcommand$"
    picture = NetworkPicture(
        departments={1: r"R&D $x^2$", 2: "Eng"},
        names={1: odd, 2: "Bob"},
        edges=[(1, 2, 1.0)],
        highlighted=frozenset({1}),
    )
    svg = charts.svg(charts.network_chart("Who works with whom", picture))
    assert r">Sam $\nosuchcommand$<" in svg and r">R&amp;D $x^2$<" in svg
    line = charts.line_chart(odd, [odd, "b"], [Series(odd, [1, 2]), Series("$$", [2, 1])])
    assert svg_has_literal(charts.svg(line), odd)
    png = charts.render(charts.bar_chart(odd, [odd, r"\$5 $a$"], [1, 2], y_label=odd), "png")
    assert png.startswith(b"\x89PNG")


def svg_has_literal(svg: str, text: str) -> bool:
    return svg.count(f">{text}<") == 3  # the title, a tick label and the legend


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_chart_colour_meets_wcag_aa_against_the_background() -> None:
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0  # the formula, checked
    assert round(contrast("#d9822b", "#ffffff"), 2) < 3  # the old orange, rightly failed
    for colour in (*charts.PALETTE, charts.HIGHLIGHT, charts.INK, charts.TIE):
        assert contrast(colour, charts.BACKGROUND) >= 4.5, colour
    alpha = charts.GROUP_TIE_ALPHA  # a tie between groups, blended with the white under it
    blended = "#" + "".join(
        f"{round(alpha * int(charts.PALETTE[0][i : i + 2], 16) + (1 - alpha) * 255):02x}"
        for i in (1, 3, 5)
    )
    assert contrast(blended, charts.BACKGROUND) >= 4.5


def test_no_series_is_told_apart_by_colour_alone() -> None:
    lines = [Series(str(n), [1, 2]) for n in range(4)]
    axes = charts.line_chart("t", ["a", "b"], lines).axes[0]
    styles = {(line.get_marker(), line.get_linestyle()) for line in axes.get_lines()}
    assert len(styles) == 4


def test_a_titled_svg_has_a_title_and_a_description_for_screen_readers() -> None:
    figure = charts.line_chart("Kudos <per> week", ["a"], [Series("kudos", [1])])
    svg = charts.svg(figure, "Kudos <per> week", "How many & when")
    opening = svg[: svg.index(">") + 1]
    assert opening.startswith("<svg") and 'role="img"' in opening
    assert "<title>Kudos &lt;per&gt; week</title><desc>How many &amp; when</desc>" in svg


def test_the_heatmaps_numbers_keep_aa_contrast_on_every_shade() -> None:
    for step, shade in enumerate(heat.SHADES):
        ink = heat.ON_DARK if step >= heat.DARK_FROM else heat.INK
        assert contrast(ink, shade) >= 4.5, shade
    assert contrast(heat.INK, "#dddddd") >= 4.5  # a hidden cell's hatching

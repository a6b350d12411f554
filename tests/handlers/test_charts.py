"""Charts render to SVG (dashboard) and PNG (chat attachments) from plain data."""

from handlers import charts
from handlers.charts import NetworkPicture, Series


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

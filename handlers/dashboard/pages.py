"""The dashboard's HTML, rendered on the server from the features' panels.

Every name and title from the store goes through html.escape; the pages load nothing from
elsewhere (no scripts at all), which the Content-Security-Policy header also enforces. Each
figure carries its numbers in a table beside it, so nothing is told by colour or shape alone.
"""

from collections.abc import Callable, Sequence
from datetime import timedelta
from html import escape as _escape
from urllib.parse import urlencode

from bot.contract.dashboard import Card, Figure, Graph, Heatmap, Panel, Trend
from handlers.dashboard import heat
from handlers.dashboard.gather import PERIODS, Shown


def escape(text: str) -> str:
    """For text between tags; attribute values use html.escape's quoting as well."""
    return _escape(text, quote=False)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #f6f7f9; }
header { background: #1f3347; color: #fff; padding: 12px 16px; display: flex; gap: 8px 24px;
  flex-wrap: wrap; align-items: baseline; }
header a { color: #fff; } header h1 { font-size: 18px; margin: 0; }
main { padding: 16px; max-width: 1100px; }
figure { background: #fff; margin: 0 0 16px; padding: 12px; border-radius: 6px; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
.wide svg { min-width: 600px; max-width: none; }
@media (max-width: 600px) { figure svg { min-width: 520px; max-width: none; } }
figcaption, .note { font-size: 14px; color: #4a4a4a; }
table { border-collapse: collapse; background: #fff; margin-bottom: 16px; }
td, th { padding: 4px 10px; border-bottom: 1px solid #ccc; text-align: left; font-size: 14px; }
.scroll { overflow-x: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px;
  margin-bottom: 16px; }
.card { background: #fff; border-radius: 6px; padding: 12px; }
.card .value { font-size: 28px; font-weight: bold; } .card .label { font-size: 14px; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: end;
  background: #fff; padding: 12px; border-radius: 6px; margin-bottom: 16px; }
form.filters label { display: flex; flex-direction: column; font-size: 14px; }
select, button { font-size: 16px; padding: 4px; }
td.hidden { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #ddd 4px, #ddd 8px); }
"""


def page(title: str, body: str, *, who: str = "") -> str:
    signed_in = f"<span>Signed in as {escape(who)}</span>" if who else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · Rapport</title><style>{STYLE}</style></head><body>"
        f"<header><h1>Rapport</h1>"
        f'<a href="/dashboard">Trends</a><a href="/dashboard/network">Network</a>{signed_in}'
        f"</header><main><h2>{escape(title)}</h2>{body}</main></body></html>"
    )


def message_page(title: str, text: str) -> str:
    return page(title, f"<p>{escape(text)}</p>")


def sign_in_page(action: str) -> str:
    """A button rather than signing in on GET: link previews in chat fetch the link too, and
    must not use it up."""
    return page(
        "Open the dashboard",
        f'<form method="post" action="{_escape(action)}">'
        "<p>This link works once. Press the button to sign in.</p>"
        '<button type="submit" id="sign-in">Open the dashboard</button></form>',
    )


def cell(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], caption: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(cell(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    titled = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f'<div class="scroll"><table>{titled}<tr>{head}</tr>{body}</table></div>'


def change(card: Card) -> str:
    """The change in words and signs, not in colour."""
    if card.value is None or card.previous is None:
        return "no figure to compare with"
    delta = card.value - card.previous
    if delta == 0:
        return f"no change from {number(card.previous, card)}"
    arrow = "▲" if delta > 0 else "▼"
    return f"{arrow} {delta:+g}{card.unit} from {number(card.previous, card)}"


def number(value: float | None, card: Card) -> str:
    if value is None:
        return "–"
    shown = f"{value:+g}" if card.signed else f"{value:g}"
    return shown + card.unit


def cards(found: Sequence[Card]) -> str:
    return (
        '<section class="cards" aria-label="Headline figures">'
        + "".join(
            f'<div class="card"><div class="label">{escape(c.label)}</div>'
            f'<div class="value">{escape(number(c.value, c))}</div>'
            f"<div>{escape(change(c))}</div>"
            f'<div class="note">{escape(c.period)}</div></div>'
            for c in found
        )
        + "</section>"
    )


def _select(name: str, label: str, options: Sequence[tuple[str, str]], chosen: str) -> str:
    items = "".join(
        f'<option value="{_escape(value)}"{" selected" if value == chosen else ""}>'
        f"{escape(text)}</option>"
        for value, text in options
    )
    return f'<label>{escape(label)}<select name="{_escape(name)}">{items}</select></label>'


def filter_form(found: Shown, action: str, export: str, weekly: bool) -> str:
    chosen = found.filters
    period = _select("period", "Period", list(PERIODS.items()), chosen.period)
    parts = [
        *([period] if weekly else []),
        _select(
            "department",
            "Department",
            [("", "All departments"), *((d, d) for d in found.departments)],
            chosen.department or "",
        ),
        *(
            _select(c.name, c.label, c.options, chosen.chosen.get(c.name, c.options[0][0]))
            for c in found.choices
            if c.options
        ),
    ]
    csv = f"{export}?{urlencode(found.query())}"
    return (
        f'<form class="filters" method="get" action="{_escape(action)}">'
        + "".join(parts)
        + '<button type="submit">Show</button>'
        f'<a href="{_escape(csv)}" id="export">Download what is shown (CSV)</a></form>'
    )


def nothing_to_draw(trend: Trend) -> bool:
    values = [v for line in trend.lines for v in line.values if v is not None]
    return not values or (trend.counts and not any(values))


def figure(shown: Figure, draw: Callable[[Trend | Graph], str]) -> str:
    if isinstance(shown, Heatmap):
        return heat.table(shown)
    numbers = ""
    if isinstance(shown, Trend) and nothing_to_draw(shown):
        return f'<p class="note">{escape(shown.title)}: {escape(shown.empty)}</p>'
    if isinstance(shown, Trend):
        rows = [
            [label, *(line.values[i] for line in shown.lines)]
            for i, label in enumerate(shown.labels)
        ]
        header = ["week or run", *(line.label for line in shown.lines)]
        numbers = f"<details><summary>The numbers</summary>{table(header, rows)}</details>"
    # A network stays readable on a phone by scrolling sideways rather than shrinking.
    wide = ' class="wide"' if isinstance(shown, Graph) else ""
    return (
        f"<figure{wide}>{draw(shown)}<figcaption>{escape(shown.description)}</figcaption>"
        f"{numbers}</figure>"
    )


def panel(shown: Panel, draw: Callable[[Trend | Graph], str]) -> str:
    parts = [f"<section><h3>{escape(shown.title)}</h3>"]
    if shown.audit is not None:
        parts.append(
            '<p class="note">Individual-level data: this view is recorded in the audit log.</p>'
        )
    parts.extend(figure(f, draw) for f in shown.figures)
    parts.extend(
        f"<h4>{escape(t.title)}</h4>{table(t.header, t.rows)}"
        if t.rows
        else f'<h4>{escape(t.title)}</h4><p class="note">Nobody yet.</p>'
        for t in shown.tables
    )
    parts.extend(f'<p class="note">{escape(n)}</p>' for n in shown.notes)
    parts.append("</section>")
    return "".join(parts)


def dashboard(
    title: str,
    found: Shown,
    paths: tuple[str, str],
    who: str,
    draw: Callable[[Trend | Graph], str],
    weekly: bool = True,
) -> str:
    """The page at paths[0], its CSV at paths[1]; `weekly`: it charts calendar weeks."""
    headline = [c for p in found.panels for c in p.cards]
    weeks = found.view.weeks
    span = (
        f'<p class="note">Calendar weeks (Monday to Sunday) from {weeks[0].label} to '
        f"{(weeks[-1].monday + timedelta(days=6)).isoformat()}; "
        "dates are ISO (year-month-day).</p>"
        if weekly
        else '<p class="note">Dates are ISO (year-month-day).</p>'
    )
    body = filter_form(found, *paths, weekly) + span + (cards(headline) if headline else "")
    body += "".join(panel(p, draw) for p in found.panels) or (
        '<p class="note">Nothing on this page for your role.</p>'
    )
    return page(title, body, who=who)

"""The dashboard's HTML, rendered on the server from the features' panels.

Every name and title from the store goes through html.escape; the pages load nothing from
elsewhere (no scripts at all), which the Content-Security-Policy header also enforces. Each
figure carries its numbers in a table beside it, so nothing is told by colour or shape alone.
A page is written in the language spoken while it is rendered (routes.reader_language).
"""

from collections.abc import Callable, Sequence
from datetime import timedelta
from html import escape as _escape
from pathlib import Path
from urllib.parse import urlencode

from bot.contract.dashboard import Card, Figure, Graph, Heatmap, Panel, Trend
from bot.kit.i18n import current, format_date, format_number
from bot.kit.tallies import department_label
from handlers.dashboard import heat
from handlers.dashboard.gather import PERIODS, Shown
from handlers.dashboard.i18n import _, ngettext


def escape(text: str) -> str:
    """For text between tags; attribute values use html.escape's quoting as well."""
    return _escape(text, quote=False)


STYLE = (Path(__file__).parent / "style.css").read_text()
NAME = "Rapport"  # not translated: the product's name


def page(title: str, body: str, *, who: str = "") -> str:
    signed_in = escape(_("Signed in as {name}").format(name=who))
    signed_in = f"<span>{signed_in}</span>" if who else ""
    trends, network = escape(_("Trends")), escape(_("Network"))
    return (
        f'<!doctype html><html lang="{current()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · {NAME}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{NAME}</h1>"
        f'<a href="/dashboard">{trends}</a><a href="/dashboard/network">{network}</a>{signed_in}'
        f"</header><main><h2>{escape(title)}</h2>{body}</main></body></html>"
    )


def message_page(title: str, text: str) -> str:
    return page(title, f"<p>{escape(text)}</p>")


def sign_in_page(action: str) -> str:
    """A button rather than signing in on GET: link previews in chat fetch the link too, and
    must not use it up."""
    opening = escape(_("Open the dashboard"))
    once = escape(_("This link works once. Press the button to sign in."))
    return page(
        _("Open the dashboard"),
        f'<form method="post" action="{_escape(action)}"><p>{once}</p>'
        f'<button type="submit" id="sign-in">{opening}</button></form>',
    )


def cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


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
        return _("no figure to compare with")
    delta = card.value - card.previous
    before = number(card.previous, card)
    if delta == 0:
        return _("no change from {before}").format(before=before)
    arrow = "▲" if delta > 0 else "▼"
    return _("{arrow} {change} from {before}").format(
        arrow=arrow, change=heat.signed(delta) + card.unit, before=before
    )


def number(value: float | None, card: Card) -> str:
    if value is None:
        return "–"
    shown = heat.signed(value) if card.signed else format_number(value)
    return shown + card.unit


def cards(found: Sequence[Card]) -> str:
    headline = _escape(_("Headline figures"))
    return (
        f'<section class="cards" aria-label="{headline}">'
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


def _weeks(count: int) -> str:
    return ngettext("{count} week", "{count} weeks", count).format(count=format_number(count))


def filter_form(found: Shown, action: str, export: str, weekly: bool) -> str:
    chosen = found.filters
    periods = [(weeks, _weeks(int(weeks))) for weeks in PERIODS]
    period = _select("period", _("Period"), periods, chosen.period)
    parts = [
        *([period] if weekly else []),
        _select(
            "department",
            _("Department"),
            [("", _("All departments")), *((d, department_label(d)) for d in found.departments)],
            chosen.department or "",
        ),
        *(
            _select(c.name, c.label, c.options, chosen.chosen.get(c.name, c.options[0][0]))
            for c in found.choices
            if c.options
        ),
    ]
    csv = f"{export}?{urlencode(found.query())}"
    show, download = escape(_("Show")), escape(_("Download what is shown (CSV)"))
    return (
        f'<form class="filters" method="get" action="{_escape(action)}">'
        + "".join(parts)
        + f'<button type="submit">{show}</button>'
        f'<a href="{_escape(csv)}" id="export">{download}</a></form>'
    )


def nothing_to_draw(trend: Trend) -> bool:
    values = [v for line in trend.lines for v in line.values if v is not None]
    return not values or (trend.counts and not any(values))


def figure(shown: Figure, draw: Callable[[Trend | Graph], str]) -> str:
    if isinstance(shown, Heatmap):
        return heat.table(shown)
    numbers = ""
    if isinstance(shown, Trend) and nothing_to_draw(shown):
        empty = shown.empty or _("nothing in these weeks.")
        said = _("{title}: {empty}").format(title=shown.title, empty=empty)
        return f'<p class="note">{escape(said)}</p>'
    if isinstance(shown, Trend):
        rows = [
            [label, *(line.values[i] for line in shown.lines)]
            for i, label in enumerate(shown.labels)
        ]
        header = [_("week or run"), *(line.label for line in shown.lines)]
        summary = escape(_("The numbers"))
        numbers = f"<details><summary>{summary}</summary>{table(header, rows)}</details>"
    # A network stays readable on a phone by scrolling sideways rather than shrinking.
    wide = ' class="wide"' if isinstance(shown, Graph) else ""
    return (
        f"<figure{wide}>{draw(shown)}<figcaption>{escape(shown.description)}</figcaption>"
        f"{numbers}</figure>"
    )


def panel(shown: Panel, draw: Callable[[Trend | Graph], str]) -> str:
    parts = [f"<section><h3>{escape(shown.title)}</h3>"]
    if shown.audit is not None:
        recorded = _("Individual-level data: this view is recorded in the audit log.")
        parts.append(f'<p class="note">{escape(recorded)}</p>')
    parts.extend(figure(f, draw) for f in shown.figures)
    nobody = escape(_("Nobody yet."))
    parts.extend(
        f"<h4>{escape(t.title)}</h4>{table(t.header, t.rows)}"
        if t.rows
        else f'<h4>{escape(t.title)}</h4><p class="note">{nobody}</p>'
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
        _(
            "Calendar weeks (Monday to Sunday) from {first} to {last}; the weeks in the "
            "figures are named by their Monday, in ISO dates (year-month-day)."
        ).format(
            first=format_date(weeks[0].monday, "long"),
            last=format_date(weeks[-1].monday + timedelta(days=6), "long"),
        )
        if weekly
        else _("Dates in the figures are ISO (year-month-day).")
    )
    body = filter_form(found, *paths, weekly) + f'<p class="note">{escape(span)}</p>'
    body += cards(headline) if headline else ""
    nothing = escape(_("Nothing on this page for your role."))
    body += "".join(panel(p, draw) for p in found.panels) or f'<p class="note">{nothing}</p>'
    return page(title, body, who=who)

"""The dashboard's HTML, rendered on the server: charts as inline SVG, numbers as tables.

Every name and title from the store goes through html.escape; the pages load nothing from
elsewhere (no scripts at all), which the Content-Security-Policy header also enforces.
"""

from collections.abc import Sequence
from html import escape as _escape
from typing import TYPE_CHECKING

from bot.kit.wording import counted
from handlers import charts
from handlers.charts import Series
from handlers.dashboard.data import Network, Overview, SurveyTrend, Weekly

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def escape(text: str) -> str:
    """For text between tags; attribute values use html.escape's quoting as well."""
    return _escape(text, quote=False)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #f6f7f9; }
header { background: #2c3e50; color: white; padding: 12px 24px; display: flex; gap: 24px; }
header a { color: white; } header h1 { font-size: 18px; margin: 0; }
main { padding: 16px 24px; max-width: 1000px; }
figure { background: white; margin: 0 0 16px; padding: 12px; border-radius: 6px; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555; }
table { border-collapse: collapse; background: white; margin-bottom: 16px; }
td, th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; font-size: 14px; }
.note { font-size: 13px; color: #555; }
"""


def page(title: str, body: str, *, who: str = "") -> str:
    signed_in = f"<span>Signed in as {escape(who)}</span>" if who else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
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


def _figure(figure: "Figure", caption: str) -> str:
    return f"<figure>{charts.svg(figure)}<figcaption>{escape(caption)}</figcaption></figure>"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: object) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _survey(trend: SurveyTrend) -> str:
    parts = [f"<h3>Pulse: {escape(trend.title)}</h3>"]
    if trend.scores:
        chart = charts.line_chart("Average score (1–5)", trend.labels, trend.scores, y_range=(1, 5))
        parts.append(_figure(chart, "Gaps: too few answers to show (anonymity threshold)."))
    if trend.enps:
        chart = charts.line_chart("eNPS", trend.labels, trend.enps, y_range=(-100, 100))
        parts.append(_figure(chart, "eNPS per run, shown only at or above the threshold."))
    rate = [float(p) if p is not None else None for p in trend.participation]
    chart = charts.line_chart(
        "Participation (%)", trend.labels, [Series("answered", rate)], y_range=(0, 100)
    )
    parts.append(_figure(chart, "Share of people asked who answered."))
    return "".join(parts)


def _questions(weekly: Weekly) -> str:
    if not any(weekly.questions) and not any(weekly.past_sla):
        return '<p class="note">No questions asked in these weeks.</p>'
    chart = charts.line_chart(
        "Q&A per week",
        weekly.labels,
        [
            Series("asked", [float(n) for n in weekly.questions]),
            Series("answered", [float(n) for n in weekly.answered]),
            Series("past their deadline", [float(n) for n in weekly.past_sla]),
        ],
    )
    return _figure(chart, "Past their deadline: still unanswered at the week's end.")


def _answer_times(labels: Sequence[str], hours: Sequence[float | None]) -> str:
    if all(h is None for h in hours):
        return '<p class="note">No question has been answered in these weeks.</p>'
    chart = charts.line_chart(
        "Q&A: median hours to first answer", labels, [Series("median hours", hours)]
    )
    return _figure(chart, "From the question to its first answer, for answers in each week.")


def overview(data: Overview, who: str) -> str:
    weekly = data.weekly
    parts = [
        _figure(
            charts.line_chart(
                "Kudos per week",
                weekly.labels,
                [
                    Series("kudos", [float(k) for k in weekly.kudos]),
                    Series("people recognised", [float(k) for k in weekly.kudos_people]),
                ],
            ),
            "Kudos given each week (weeks start on the date shown).",
        ),
        _questions(weekly),
        _answer_times(weekly.labels, weekly.median_hours),
        _table(
            (
                "week from",
                "kudos",
                "questions",
                "answered",
                "median h",
                "past deadline",
                "pairings",
            ),
            list(
                zip(
                    weekly.labels,
                    weekly.kudos,
                    weekly.questions,
                    weekly.answered,
                    weekly.median_hours,
                    weekly.past_sla,
                    weekly.pairings,
                    strict=True,
                )
            ),
        ),
    ]
    parts.extend(_survey(trend) for trend in data.surveys)
    if not data.surveys:
        parts.append('<p class="note">No pulse survey has closed yet.</p>')
    return page("Trends", "".join(parts), who=who)


def network_chart(data: Network) -> str:
    """The network's picture as SVG: the slow part of the page, kept with the computation."""
    return charts.svg(charts.network_chart("Who works with whom", data.picture))


def network(data: Network, chart: str, who: str) -> str:
    """The network page around `chart` (network_chart of this data or of an equal picture)."""
    caption = (
        f"Interactions {data.since:%d %b} – {data.until:%d %b %Y}: each dot a person, grouped "
        "by department; connectors (who bridges departments) in red."
    )
    parts = [
        '<p class="note">Individual-level data: this view is recorded in the audit log.</p>',
        f"<figure>{chart}<figcaption>{escape(caption)}</figcaption></figure>",
        "<h3>Connectors</h3>",
        _table(
            ("name", "department", "ties to other departments", "betweenness"),
            [(n, d, t, round(b, 3)) for n, d, t, b in data.connectors],
        )
        if data.connectors
        else '<p class="note">Nobody has ties across departments yet.</p>',
        f'<p class="note">{counted(data.interactions, "interaction")} in this window; the '
        f"picture shows {len(data.picture.departments)} of "
        f"{counted(data.people, 'person', 'people')} "
        f"(the most connected, when there are many).</p>",
    ]
    return page("Network", "".join(parts), who=who)

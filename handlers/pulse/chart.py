"""The trend chart attached to results: mean per scale question and eNPS per run, as PNG.

Drawn only from the thresholded trend of the report (overall numbers per closed run): a run
under the threshold is a gap, and department groups are never drawn.
"""

from bot.contract.ui import Attachment
from handlers.charts import Series, line_chart, render
from handlers.pulse.i18n import _
from handlers.pulse.results import Report


def trend_series(outcome: Report) -> tuple[list[str], list[Series], list[Series]]:
    """Run labels, then a line per scale question (means) and per eNPS question."""
    labels: list[str] = []
    means: list[Series] = []
    scores: list[Series] = []
    for number, part in enumerate(outcome.questions, start=1):
        if len(part.trend) < 2 or part.question.kind not in ("scale", "enps"):
            continue
        labels = [label for label, _ in part.trend]
        name = f"{number}. {_short(part.question.prompt)}"
        if part.question.kind == "enps":
            scores.append(Series(name, [s.enps if s else None for s in (v for _, v in part.trend)]))
        else:
            means.append(Series(name, [s.mean if s else None for s in (v for _, v in part.trend)]))
    return labels, means, scores


def trend_pngs(title: str, outcome: Report) -> list[Attachment]:
    """One PNG per kind of score with a trend over at least two closed runs."""
    labels, means, scores = trend_series(outcome)
    files = []
    if means:
        head = _("{title}: mean per run").format(title=title)
        figure = line_chart(head, labels, means, y_range=(1, 5))
        files.append(
            Attachment(name="pulse-trend.png", media_type="image/png", data=render(figure, "png"))
        )
    if scores:
        head = _("{title}: eNPS per run").format(title=title)
        figure = line_chart(head, labels, scores, y_range=(-100, 100))
        files.append(
            Attachment(
                name="pulse-enps-trend.png", media_type="image/png", data=render(figure, "png")
            )
        )
    return files


def _short(prompt: str, limit: int = 40) -> str:
    return prompt if len(prompt) <= limit else prompt[: limit - 1] + "…"

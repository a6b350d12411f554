"""Pulse on the dashboard, by the same maths as `/pulse results` (handlers/pulse/results.py).

The numbers come from `results.report` over `responses.gather`, exactly as in chat: closed
runs only, scores only for groups at or above the threshold, and departments hidden by
complementary suppression where a total could be recovered by subtraction. A department
filter picks that department's group out of the full breakdown; it never recomputes the
suppression over fewer groups. The breakdown by department is for HR, as in chat. Titles
and prompts are in the page's language where the survey has them in it (handlers.pulse.reading).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.dashboard import Card, Choice, Heatmap, Line, Panel, Part, Trend, View
from bot.kit.roles import Role
from bot.kit.tallies import department_label
from handlers.pulse import reading, responses, results
from handlers.pulse.i18n import _
from handlers.pulse.render import not_enough
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import QuestionSpec, SurveySpec
from handlers.pulse.tables import PulseRun, PulseSurvey

SCORED = ("scale", "enps")
RANGES = {"scale": (1.0, 5.0), "enps": (-100.0, 100.0)}


def _hidden() -> str:
    return _("too few answers in every closed run to show it (the anonymity threshold).")


@dataclass(frozen=True)
class Chosen:
    survey: PulseSurvey
    questions: Sequence[QuestionSpec]
    runs: list[results.RunFacts]
    answers: list[results.AnswerFacts]
    title: str  # in the page's language


async def _surveys(session: AsyncSession, view: View) -> list[PulseSurvey]:
    """Surveys with a closed run, the most recently opened first."""
    found = await session.exec(
        select(PulseSurvey, PulseRun.opened_at)
        .join(PulseRun, col(PulseRun.survey_id) == col(PulseSurvey.id))
        .where(PulseSurvey.workspace_id == view.workspace.id, col(PulseRun.closed_at).is_not(None))
        .order_by(col(PulseRun.opened_at).desc(), col(PulseRun.id).desc())
    )
    surveys: dict[int, PulseSurvey] = {}
    for survey, _opened in found.all():
        surveys.setdefault(survey.id or 0, survey)
    return list(surveys.values())


def _choice(surveys: list[PulseSurvey]) -> Choice:
    return Choice(
        "survey", _("Survey"), [(str(s.id), f"#{s.id} {reading.title(s)}") for s in surveys]
    )


async def _chosen(session: AsyncSession, view: View, surveys: list[PulseSurvey]) -> Chosen:
    wanted = view.chosen.get("survey", "")
    survey = next((s for s in surveys if str(s.id) == wanted), surveys[0])
    runs, answers = await responses.gather(session, survey)
    spec = SurveySpec.model_validate(survey.spec)
    return Chosen(survey, spec.questions, runs, answers, reading.title_of(spec))


def _report(chosen: Chosen, view: View, upto: int) -> results.Report:
    """The chat's report of the runs up to index `upto` (its latest closed run is the one
    the numbers are about), broken down by department."""
    settings = pulse_settings(view.settings)
    return results.report(
        chosen.questions,
        chosen.runs[: upto + 1],
        [a for a in chosen.answers if a.run <= upto],
        scores_min=settings.threshold,
        comments_min=settings.comment_threshold,
        by_department=True,
    )


def _summary(part: results.QuestionReport, department: str | None) -> results.Summary | None:
    if department is None:
        return part.summary
    if part.summary is None:
        return None  # as in chat: no breakdown of a question that is hidden overall
    return next((g.summary for g in part.groups if g.name == department), None)


def _enps(report: results.Report, department: str | None) -> float | None:
    for part in report.questions:
        if part.question.kind == "enps":
            summary = _summary(part, department)
            return None if summary is None or summary.enps is None else float(summary.enps)
    return None


def _closed(chosen: Chosen) -> list[int]:
    return [i for i, run in enumerate(chosen.runs) if run.closed]


def _cards(chosen: Chosen, view: View) -> list[Card]:
    closed = _closed(chosen)
    latest = _report(chosen, view, closed[-1])
    before = _report(chosen, view, closed[-2]) if len(closed) > 1 else None
    period = _("#{id}: latest closed run against the one before").format(id=chosen.survey.id)
    whole = _("#{id}: latest closed run against the one before (whole survey)").format(
        id=chosen.survey.id
    )
    cards = [
        Card(
            _("Participation"),
            latest.participation,
            before.participation if before else None,
            unit="%",
            period=whole,
        )
    ]
    if any(q.kind == "enps" for q in chosen.questions):
        cards.insert(
            0,
            Card(
                _("eNPS"),
                _enps(latest, view.department),
                _enps(before, view.department) if before else None,
                period=period,
                signed=True,
            ),
        )
    return cards


def _trends(chosen: Chosen, view: View) -> list[Trend]:
    closed = _closed(chosen)
    reports = [_report(chosen, view, i) for i in closed]
    labels = [chosen.runs[i].label for i in closed]
    lines: dict[str, list[Line]] = {"scale": [], "enps": []}
    for number, question in enumerate(chosen.questions):
        if question.kind not in SCORED:
            continue
        values = [_value(question, _summary(r.questions[number], view.department)) for r in reports]
        lines[question.kind].append(Line(reading.question(question).prompt, values))
    title = chosen.title
    found = []
    if lines["scale"]:
        found.append(
            Trend(
                _("Average score (1–5): {title}").format(title=title),
                _(
                    "The mean answer to each scale question per closed run; a gap where too "
                    "few answered to show it."
                ),
                labels,
                lines["scale"],
                RANGES["scale"],
                counts=False,
                empty=_hidden(),
            )
        )
    if lines["enps"]:
        found.append(
            Trend(
                _("eNPS: {title}").format(title=title),
                _(
                    "eNPS per closed run (promoters minus detractors, −100 to +100); a gap "
                    "where too few answered to show it."
                ),
                labels,
                lines["enps"],
                RANGES["enps"],
                counts=False,
                empty=_hidden(),
            )
        )
    rate = [chosen.runs[i] for i in closed]
    found.append(
        Trend(
            _("Participation (%): {title}").format(title=title),
            _("The share of the people asked who answered, per closed run."),
            labels,
            [Line(_("answered"), [_rate(r) for r in rate])],
            (0.0, 100.0),
            counts=False,
        )
    )
    return found


def _rate(run: results.RunFacts) -> float | None:
    rate = results.participation(run.responded, run.invited)
    return None if rate is None else float(rate)


async def overview(session: AsyncSession, view: View) -> Panel | None:
    surveys = await _surveys(session, view)
    if not surveys:
        return Panel(_("Pulse surveys"), notes=[_("No pulse survey has closed a run yet.")])
    chosen = await _chosen(session, view, surveys)
    return Panel(
        _("Pulse: {title}").format(title=chosen.title),
        cards=_cards(chosen, view),
        figures=_trends(chosen, view),
        choices=[_choice(surveys)],
        notes=[_("Open runs are not shown: results appear when a run closes.")],
    )


async def by_department(session: AsyncSession, view: View) -> Panel | None:
    """The latest closed run's scores, question by department, as `/pulse results ID by
    department` gives them."""
    surveys = await _surveys(session, view)
    if not surveys:
        return None
    chosen = await _chosen(session, view, surveys)
    found = heatmap(chosen, view)
    if found is None:
        return None
    return Panel(
        _("Pulse by department: {title}").format(title=chosen.title),
        figures=[found],
    )


def heatmap(chosen: Chosen, view: View) -> Heatmap | None:
    latest = _report(chosen, view, _closed(chosen)[-1])
    scored = [p for p in latest.questions if p.question.kind in SCORED]
    if not scored or latest.run is None:
        return None
    columns = sorted({g.name for p in scored for g in p.groups})
    if view.department is not None:
        columns = [c for c in columns if c == view.department]
    cells = []
    for part in scored:
        groups = {g.name: g.summary for g in part.groups} if part.summary else {}
        cells.append([_value(part.question, groups.get(c)) for c in columns])
    return Heatmap(
        _("By department: {title}, run of {label}").format(
            title=chosen.title, label=latest.run.label
        ),
        _(
            "Each question's average score (eNPS for eNPS questions) in each department. A "
            "department with too few answers is hidden, and so is any whose numbers could be "
            "worked out from the others and the total, exactly as in the chat results."
        ),
        [reading.question(p.question).prompt for p in scored],
        [department_label(c) for c in columns],
        cells,
        [RANGES[p.question.kind] for p in scored],
        hidden=not_enough(),
    )


def _value(question: QuestionSpec, summary: results.Summary | None) -> float | None:
    if summary is None:
        return None
    found = summary.enps if question.kind == "enps" else summary.mean
    return None if found is None else float(found)


PARTS = (
    Part("trends", overview, order=10),
    Part("trends", by_department, roles=frozenset({Role.HR}), order=15),
)

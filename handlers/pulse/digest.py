"""Pulse's part of the weekly digest: the runs open or closed in the week.

A closed run shows, per scored question, its mean or eNPS only at or above the anonymity
threshold (the rule of `/pulse results`); an open run shows participation only, since live
numbers would tell on whoever just answered. Each shown number is compared with the same
survey's previous closed run, and only where that run's number was shown too: a hidden
number never comes back as a difference. Titles and prompts are in the digest's language
where the survey has them in it (handlers.pulse.reading).
"""

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Measure, Week
from bot.kit.i18n import format_number, format_percent
from bot.kit.safety import neutralise, truncate
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.pulse import reading, results
from handlers.pulse.i18n import _, ngettext
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseAnswer, PulseRun, PulseSurvey


@dataclass(frozen=True)
class Shown:
    """One scored question of a closed run, as far as it may be shown."""

    number: int
    prompt: str
    mean: float | None
    enps: int | None


@dataclass(frozen=True)
class RunFacts:
    run: PulseRun
    survey: PulseSurvey
    title: str  # in the digest's language, as the prompts of `shown`
    closed: bool
    participation: int | None
    shown: list[Shown]
    hidden: int  # scored questions with too few answers to show


async def pulse_facts(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> list[RunFacts]:
    """Runs that closed in the week, or are still open at its end."""
    found = await session.exec(
        select(PulseRun, PulseSurvey)
        .join(PulseSurvey, col(PulseSurvey.id) == col(PulseRun.survey_id))
        .where(
            PulseRun.workspace_id == workspace.id,
            col(PulseRun.opened_at) < week.end,
            (col(PulseRun.closed_at).is_(None)) | (col(PulseRun.closed_at) >= week.start),
        )
        .order_by(col(PulseRun.id))
    )
    return [
        await _facts(session, run, survey, _closed_by(run, week), settings)
        for run, survey in found.all()
    ]


def _closed_by(run: PulseRun, week: Week) -> bool:
    return run.closed_at is not None and run.closed_at < week.end


async def _facts(
    session: AsyncSession, run: PulseRun, survey: PulseSurvey, closed: bool, settings: Settings
) -> RunFacts:
    scored = await _scored(session, survey, run, settings) if closed else []
    return RunFacts(
        run=run,
        survey=survey,
        title=reading.title(survey),
        closed=closed,
        participation=results.participation(run.responded, run.invited),
        shown=[s for s in scored if s.mean is not None],
        hidden=sum(1 for s in scored if s.mean is None),
    )


async def _scored(
    session: AsyncSession, survey: PulseSurvey, run: PulseRun, settings: Settings
) -> list[Shown]:
    """Every scored question; mean and eNPS left out where too few answered."""
    spec = SurveySpec.model_validate(survey.spec)
    scores: dict[int, list[int]] = {}
    found = await session.exec(
        select(PulseAnswer.question, PulseAnswer.score).where(
            PulseAnswer.run_id == run.id, col(PulseAnswer.score).is_not(None)
        )
    )
    for index, score in found.all():
        if score is not None:
            scores.setdefault(index, []).append(score)
    minimum = pulse_settings(settings).threshold
    scored = []
    for number, question in enumerate(spec.questions):
        if question.kind in ("scale", "enps"):
            summary = results.shown(question, scores.get(number, []), minimum)
            mean = None if summary is None else summary.mean
            enps = None if summary is None else summary.enps
            scored.append(Shown(number, reading.question(question).prompt, mean, enps))
    return scored


async def _previous_run(
    session: AsyncSession, run: PulseRun, settings: Settings, survey: PulseSurvey
) -> RunFacts | None:
    found = await session.exec(
        select(PulseRun)
        .where(
            PulseRun.survey_id == run.survey_id,
            col(PulseRun.closed_at).is_not(None),
            col(PulseRun.opened_at) < run.opened_at,
        )
        .order_by(col(PulseRun.opened_at).desc())
        .limit(1)
    )
    earlier = found.first()
    return None if earlier is None else await _facts(session, earlier, survey, True, settings)


def _line(facts: RunFacts) -> str:
    title = neutralise(facts.title)
    answered = "–" if facts.participation is None else format_percent(facts.participation)
    if not facts.closed:
        return _("• {title}: open, {answered} answered so far.").format(
            title=title, answered=answered
        )
    shown = [f"{neutralise(truncate(s.prompt, 60))} {_score(s)}" for s in facts.shown]
    if facts.hidden:
        shown.append(
            ngettext(
                "{count} question: not enough responses to show",
                "{count} questions: not enough responses to show",
                facts.hidden,
            ).format(count=format_number(facts.hidden))
        )
    detail = "; ".join(shown) if shown else _("no scored questions")
    return _("• {title}: {answered} answered. {detail}.").format(
        title=title, answered=answered, detail=detail
    )


def _score(shown: Shown) -> str:
    if shown.enps is not None:
        return _("eNPS {score}").format(score=f"{shown.enps:+d}")
    return _("{mean}/5").format(mean=format_number(shown.mean or 0.0, 1))


def _figures(facts: RunFacts, before: RunFacts | None) -> list[Figure]:
    title = truncate(facts.title, 40)
    key = f"pulse.{facts.survey.id}"
    figures = []
    if facts.participation is not None:
        answered_before = None if before is None else before.participation
        figures.append(
            Figure(
                f"{key}.participation",
                _("Participation, {title}").format(title=title),
                facts.participation,
                Measure.PERCENT,
                previous=answered_before,
                since=_("the last run"),
            )
        )
    earlier = {} if before is None else {s.number: s for s in before.shown}
    for shown in facts.shown:
        was_shown = earlier.get(shown.number)
        was: float | None
        if shown.enps is not None:
            was = None if was_shown is None else was_shown.enps
            label = _("eNPS, {title}").format(title=title)
            value, measure = float(shown.enps), Measure.ENPS
        else:
            was = None if was_shown is None else was_shown.mean
            label = _("{question} ({title})").format(
                question=truncate(shown.prompt, 40), title=title
            )
            value, measure = shown.mean or 0.0, Measure.SCORE
        figures.append(
            Figure(
                f"{key}.{shown.number}",
                label,
                value,
                measure,
                previous=was,
                since=_("the last run"),
            )
        )
    return figures


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    runs = await pulse_facts(session, workspace, week, settings)
    if not runs:
        return DigestPart(
            title=_("Pulse"), lines=(_("*Pulse*: no survey ran this week."),), order=30
        )
    figures: list[Figure] = []
    for facts in runs:
        if facts.closed:
            before = await _previous_run(session, facts.run, settings, facts.survey)
            figures.extend(_figures(facts, before))
    return DigestPart(
        title=_("Pulse"),
        lines=(_("*Pulse*:"), *(_line(facts) for facts in runs)),
        figures=tuple(figures),
        facts={
            facts.title: {
                "participation": facts.participation,
                "shown": [(s.prompt, s.mean, s.enps) for s in facts.shown],
            }
            for facts in runs
        },
        order=30,
    )

"""What the dashboard shows, gathered from the store as plain data.

Trends are aggregates only, under the same rules as chat: pulse numbers for runs at or above
the anonymity threshold, never live numbers of an open run. The network is individual-level
data: the page that shows it writes an audit entry.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import Week
from bot.models import Interaction, Person, Workspace
from bot.wiring.config import Settings
from handlers.charts import NetworkPicture, Series
from handlers.coffee.digest import coffee_facts
from handlers.kudos.digest import kudos_facts
from handlers.mentoring.digest import mentoring_facts
from handlers.pulse import results
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseAnswer, PulseRun, PulseSurvey
from handlers.qa.digest import qa_facts

WEEKS = 12
NETWORK_WEEKS = 4
SURVEYS = 6
NO_DEPARTMENT = "(no department)"
MAX_PEOPLE = 400
MAX_EDGES = 2000


@dataclass(frozen=True)
class Weekly:
    labels: list[str]
    kudos: list[int]
    kudos_people: list[int]
    questions: list[int]
    answered: list[int]
    median_hours: list[float | None]
    past_sla: list[int]
    pairings: list[int]


@dataclass(frozen=True)
class SurveyTrend:
    title: str
    labels: list[str]
    scores: list[Series]  # mean per scale question, None where hidden
    enps: list[Series]
    participation: list[int | None]


@dataclass(frozen=True)
class Overview:
    weekly: Weekly
    surveys: list[SurveyTrend]


def week_windows(now: datetime, weeks: int = WEEKS) -> list[Week]:
    return [Week.before(now - timedelta(weeks=back)) for back in range(weeks - 1, -1, -1)]


async def weekly(
    session: AsyncSession, workspace: Workspace, now: datetime, settings: Settings
) -> Weekly:
    windows = week_windows(now)
    kudos = [await kudos_facts(session, workspace, w) for w in windows]
    qa = [await qa_facts(session, workspace, w, settings) for w in windows]
    mentoring = [await mentoring_facts(session, workspace, w) for w in windows]
    coffee = [await coffee_facts(session, workspace, w) for w in windows]
    return Weekly(
        labels=[f"{w.start:%d %b}" for w in windows],
        kudos=[k.total for k in kudos],
        kudos_people=[k.receivers for k in kudos],
        questions=[q.asked for q in qa],
        answered=[q.answered for q in qa],
        median_hours=[q.median_hours for q in qa],
        past_sla=[q.past_sla for q in qa],
        pairings=[m.pairs + c.groups for m, c in zip(mentoring, coffee, strict=True)],
    )


async def survey_trend(
    session: AsyncSession, survey: PulseSurvey, runs: list[PulseRun], threshold: int
) -> SurveyTrend:
    spec = SurveySpec.model_validate(survey.spec)
    scores: dict[tuple[int, int], list[int]] = {}
    found = await session.exec(
        select(PulseAnswer.run_id, PulseAnswer.question, PulseAnswer.score).where(
            col(PulseAnswer.run_id).in_([r.id for r in runs]), col(PulseAnswer.score).is_not(None)
        )
    )
    for run_id, index, score in found.all():
        if score is not None:
            scores.setdefault((run_id, index), []).append(score)
    means: list[Series] = []
    enps: list[Series] = []
    for number, question in enumerate(spec.questions):
        if question.kind not in ("scale", "enps"):
            continue
        shown = [
            results.shown(question, scores.get((run.id or 0, number), []), threshold)
            for run in runs
        ]
        if question.kind == "enps":
            enps.append(Series(question.prompt, [s.enps if s else None for s in shown]))
        else:
            means.append(Series(question.prompt, [s.mean if s else None for s in shown]))
    return SurveyTrend(
        title=survey.title,
        labels=[r.period[:10] for r in runs],
        scores=means,
        enps=enps,
        participation=[results.participation(r.responded, r.invited) for r in runs],
    )


async def surveys(
    session: AsyncSession, workspace: Workspace, now: datetime, threshold: int
) -> list[SurveyTrend]:
    """Closed runs of the most recently run surveys, oldest run first."""
    since = now - timedelta(weeks=WEEKS * 4)
    found = await session.exec(
        select(PulseRun, PulseSurvey)
        .join(PulseSurvey, col(PulseSurvey.id) == col(PulseRun.survey_id))
        .where(
            PulseRun.workspace_id == workspace.id,
            col(PulseRun.closed_at).is_not(None),
            col(PulseRun.opened_at) >= since,
        )
        .order_by(col(PulseRun.opened_at), col(PulseRun.id))
    )
    by_survey: dict[int, tuple[PulseSurvey, list[PulseRun]]] = {}
    for run, survey in found.all():
        by_survey.setdefault(survey.id or 0, (survey, []))[1].append(run)
    latest = sorted(by_survey.values(), key=lambda item: item[1][-1].opened_at)[-SURVEYS:]
    return [await survey_trend(session, survey, runs, threshold) for survey, runs in latest]


async def overview(
    session: AsyncSession, workspace: Workspace, now: datetime, settings: Settings
) -> Overview:
    return Overview(
        weekly=await weekly(session, workspace, now, settings),
        surveys=await surveys(session, workspace, now, pulse_settings(settings).threshold),
    )


@dataclass(frozen=True)
class Network:
    since: datetime
    until: datetime
    picture: NetworkPicture
    connectors: list[tuple[str, str, int, float]]  # name, department, cross ties, betweenness
    interactions: int
    people: int  # in the workspace; the picture may show only the most connected


def drawn_people(
    weights: dict[tuple[int, int], float], connectors: set[int], everyone: list[int]
) -> set[int]:
    """Everyone in a small workspace; in a big one, the connectors and the most connected
    others, so that the picture stays readable and the page light. Only `everyone` is drawn:
    a bot or an erased person's stand-in, tied to people by old edges, takes no place."""
    if len(everyone) <= MAX_PEOPLE:
        return set(everyone)
    members = set(everyone)
    degree: dict[int, float] = {}
    for (a, b), weight in weights.items():
        for person in (a, b):
            if person in members:
                degree[person] = degree.get(person, 0.0) + weight
    ranked = sorted(degree, key=lambda p: (-degree[p], p))
    return connectors | set(ranked[: MAX_PEOPLE - len(connectors)])


def heaviest_edges(
    weights: dict[tuple[int, int], float], shown: set[int]
) -> list[tuple[int, int, float]]:
    among = [(a, b, w) for (a, b), w in weights.items() if a in shown and b in shown]
    among.sort(key=lambda edge: (-edge[2], edge[0], edge[1]))
    return sorted(among[:MAX_EDGES])


def network_since(now: datetime) -> datetime:
    """The network's window opens at midnight (UTC) four weeks back, so it moves a day at a
    time: a repeated view reuses its computation until the day turns or something new
    happens, not only until the next edge slides out of a window ending to the second."""
    start = (now - timedelta(weeks=NETWORK_WEEKS)).astimezone(UTC).date()
    return datetime.combine(start, time(), tzinfo=UTC)


async def network(session: AsyncSession, workspace: Workspace, now: datetime) -> Network:
    """Who interacted with whom over the last weeks, by department, connectors marked."""
    assert workspace.id is not None
    since = network_since(now)
    people = (
        await session.exec(
            select(Person).where(Person.workspace_id == workspace.id, col(Person.is_bot).is_(False))
        )
    ).all()
    edges = await session.exec(
        select(Interaction.source_id, Interaction.target_id, Interaction.weight).where(
            Interaction.workspace_id == workspace.id,
            col(Interaction.occurred_at) >= since,
            col(Interaction.occurred_at) < now,
        )
    )
    weights: dict[tuple[int, int], float] = {}
    for source, target, weight in edges.all():
        pair = (min(source, target), max(source, target))
        weights[pair] = weights.get(pair, 0.0) + weight
    from handlers.insights.store import weekly_insights  # numpy and scipy, on first use

    insights = await weekly_insights(session, workspace.id, since, now)
    connectors = insights.connectors(5)
    shown = drawn_people(weights, {c.person_id for c in connectors}, [p.id for p in people if p.id])
    picture = NetworkPicture(
        departments={
            p.id: p.department or NO_DEPARTMENT
            for p in people
            if p.id is not None and p.id in shown
        },
        names={p.id: p.display_name for p in people if p.id is not None and p.id in shown},
        edges=heaviest_edges(weights, shown),
        highlighted=frozenset(c.person_id for c in connectors),
    )
    return Network(
        since=since,
        until=now,
        picture=picture,
        connectors=[
            (c.name, c.department or NO_DEPARTMENT, c.cross_department_ties, c.betweenness)
            for c in connectors
        ],
        interactions=insights.community.interactions,
        people=len(people),
    )

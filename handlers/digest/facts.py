"""The week's facts for the digest, read from each feature's tables. No chat I/O here.

Everything in `WeekFacts` may be posted in a channel: kudos are public already, pulse
numbers pass the same anonymity thresholds as `/pulse results`, and the rest are counts.
Facts about individuals that could hurt (isolated or under-recognised people) live apart, in
`Sensitive`, and only ever reach community managers by DM.
"""

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.safety import truncate
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.coffee.tables import CoffeeGroup
from handlers.ideas import rules as ideas
from handlers.ideas.settings import ideas_settings
from handlers.ideas.tables import Idea, IdeaVote
from handlers.kudos.tables import Kudos
from handlers.mentoring.tables import MentorPair
from handlers.pulse import results
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseAnswer, PulseRun, PulseSurvey
from handlers.qa.backlog import past_sla
from handlers.qa.tables import Answer, Question

HIGHLIGHTS = 3


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @classmethod
    def week_before(cls, end: datetime) -> "Window":
        return cls(end - timedelta(weeks=1), end)


@dataclass(frozen=True)
class Highlight:
    giver: str
    receiver: str
    reason: str
    value: str | None


@dataclass(frozen=True)
class KudosFacts:
    total: int
    givers: int
    receivers: int
    values: list[tuple[str, int]]
    highlights: list[Highlight]


@dataclass(frozen=True)
class IdeaFacts:
    new: int
    top: list[tuple[str, int, float]]  # title, active votes, trending score (the ranking)
    moving: list[tuple[str, int]]  # title, votes this week


@dataclass(frozen=True)
class PulseLine:
    title: str
    closed: bool
    participation: int | None
    results: list[tuple[str, float | None, int | None]]  # prompt, mean, eNPS (shown only)
    hidden: int  # questions with too few answers to show


@dataclass(frozen=True)
class QaFacts:
    asked: int
    answered: int
    median_hours: float | None
    past_sla: int


@dataclass(frozen=True)
class PairingFacts:
    mentor_pairs: int
    coffee_groups: int
    coffee_answered: int
    coffee_met: int
    mentor_checkins: int = 0  # "did you meet?" answers of current pairs, all so far
    mentor_met: int = 0

    @property
    def met_rate(self) -> int | None:
        return _percent(self.coffee_met, self.coffee_answered)

    @property
    def mentor_met_rate(self) -> int | None:
        return _percent(self.mentor_met, self.mentor_checkins)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass(frozen=True)
class WeekFacts:
    window: Window
    kudos: KudosFacts
    ideas: IdeaFacts
    pulse: list[PulseLine]
    qa: QaFacts
    pairing: PairingFacts
    connectors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Sensitive:
    """For community managers' eyes only (by DM or an ephemeral preview)."""

    isolated: list[str] = field(default_factory=list)
    under_recognised: list[str] = field(default_factory=list)
    kudos_rings: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.isolated or self.under_recognised or self.kudos_rings)


def _within(
    column: datetime | None, window: Window
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return col(column) >= window.start, col(column) < window.end


async def names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    found = await session.exec(select(Person).where(col(Person.id).in_(ids)))
    return {p.id: p.display_name or p.platform_user_id for p in found.all() if p.id is not None}


async def kudos_facts(session: AsyncSession, workspace: Workspace, window: Window) -> KudosFacts:
    given = list(
        (
            await session.exec(
                select(Kudos)
                .where(Kudos.workspace_id == workspace.id, *_within(Kudos.created_at, window))
                .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
            )
        ).all()
    )
    who = await names(session, {k.giver_id for k in given} | {k.receiver_id for k in given})
    highlights: list[Highlight] = []
    for kudos in given:
        if len(highlights) < HIGHLIGHTS and all(
            h.receiver != who[kudos.receiver_id] for h in highlights
        ):
            highlights.append(
                Highlight(
                    who[kudos.giver_id],
                    who[kudos.receiver_id],
                    truncate(kudos.reason, 140),
                    kudos.value,
                )
            )
    values = Counter(k.value for k in given if k.value)
    return KudosFacts(
        total=len(given),
        givers=len({k.giver_id for k in given}),
        receivers=len({k.receiver_id for k in given}),
        values=sorted(values.items(), key=lambda item: (-item[1], item[0])),
        highlights=highlights,
    )


async def idea_facts(
    session: AsyncSession, workspace: Workspace, window: Window, settings: Settings
) -> IdeaFacts:
    new = await session.exec(
        select(Idea.id).where(
            Idea.workspace_id == workspace.id,
            col(Idea.stage).in_(ideas.RANKED),
            *_within(Idea.created_at, window),
        )
    )
    half_life = ideas_settings(workspace, settings).vote_half_life_days
    ranked = await ideas.ranking(session, workspace, None, window.end, half_life, limit=3)
    fresh = await session.exec(
        select(IdeaVote.idea_id, Idea.title)
        .join(Idea, col(Idea.id) == col(IdeaVote.idea_id))
        .where(
            Idea.workspace_id == workspace.id,
            col(Idea.stage).in_(ideas.RANKED),
            col(IdeaVote.active),
            *_within(IdeaVote.changed_at, window),
        )
    )
    moving = Counter(fresh.all())
    busiest = sorted(moving.items(), key=lambda item: (-item[1], item[0][0]))[:3]
    return IdeaFacts(
        new=len(new.all()),
        top=[(r.idea.title, r.votes, r.score) for r in ranked if r.votes],
        moving=[(title, votes) for (_, title), votes in busiest],
    )


async def pulse_facts(
    session: AsyncSession, workspace: Workspace, window: Window, settings: Settings
) -> list[PulseLine]:
    """Runs that closed this week (results under the thresholds) or are still open
    (participation only: live numbers would tell on whoever just answered)."""
    found = await session.exec(
        select(PulseRun, PulseSurvey)
        .join(PulseSurvey, col(PulseSurvey.id) == col(PulseRun.survey_id))
        .where(
            PulseRun.workspace_id == workspace.id,
            col(PulseRun.opened_at) < window.end,
            (col(PulseRun.closed_at).is_(None)) | (col(PulseRun.closed_at) >= window.start),
        )
        .order_by(col(PulseRun.id))
    )
    lines = []
    for run, survey in found.all():
        closed = run.closed_at is not None and run.closed_at < window.end
        shown = await _run_results(session, survey, run, settings) if closed else []
        lines.append(
            PulseLine(
                title=survey.title,
                closed=closed,
                participation=results.participation(run.responded, run.invited),
                results=[r for r in shown if r is not None],
                hidden=sum(1 for r in shown if r is None),
            )
        )
    return lines


async def _run_results(
    session: AsyncSession, survey: PulseSurvey, run: PulseRun, settings: Settings
) -> list[tuple[str, float | None, int | None] | None]:
    """Per scored question: (prompt, mean, eNPS), or None under the threshold."""
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
    shown: list[tuple[str, float | None, int | None] | None] = []
    for number, question in enumerate(spec.questions):
        if question.kind in ("scale", "enps"):
            summary = results.shown(
                question, scores.get(number, []), pulse_settings(settings).threshold
            )
            shown.append(None if summary is None else (question.prompt, summary.mean, summary.enps))
    return shown


async def qa_facts(
    session: AsyncSession, workspace: Workspace, window: Window, settings: Settings
) -> QaFacts:
    asked = await session.exec(
        select(Question.id).where(
            Question.workspace_id == workspace.id,
            Question.status != "suggested",
            *_within(Question.created_at, window),
        )
    )
    first = func.min(Answer.created_at)
    first_answers = await session.exec(
        select(Question.created_at, first)
        .join(Answer, col(Answer.question_id) == col(Question.id))
        .where(Question.workspace_id == workspace.id)
        .group_by(col(Question.id), col(Question.created_at))
        .having(first >= window.start, first < window.end)
    )
    waits = [
        (answered - asked_at).total_seconds() / 3600
        for asked_at, answered in first_answers.all()
        if window.start <= answered < window.end
    ]
    return QaFacts(
        asked=len(asked.all()),
        answered=len(waits),
        median_hours=round(statistics.median(waits), 1) if waits else None,
        past_sla=await past_sla(session, workspace, window.end, settings),
    )


async def pairing_facts(
    session: AsyncSession, workspace: Workspace, window: Window
) -> PairingFacts:
    pairs = await session.exec(
        select(MentorPair.id).where(
            MentorPair.workspace_id == workspace.id, *_within(MentorPair.created_at, window)
        )
    )
    groups = await session.exec(
        select(CoffeeGroup.id).where(
            CoffeeGroup.workspace_id == workspace.id, *_within(CoffeeGroup.created_at, window)
        )
    )
    answered = list(
        (
            await session.exec(
                select(CoffeeGroup.met).where(
                    CoffeeGroup.workspace_id == workspace.id,
                    col(CoffeeGroup.met).is_not(None),
                    *_within(CoffeeGroup.answered_at, window),
                )
            )
        ).all()
    )
    checkins = (
        await session.exec(
            select(MentorPair.met_yes, MentorPair.met_no).where(
                MentorPair.workspace_id == workspace.id,
                MentorPair.status == "active",
                col(MentorPair.created_at) < window.end,
            )
        )
    ).all()
    return PairingFacts(
        mentor_pairs=len(pairs.all()),
        coffee_groups=len(groups.all()),
        coffee_answered=len(answered),
        coffee_met=sum(1 for met in answered if met),
        mentor_checkins=sum(yes + no for yes, no in checkins),
        mentor_met=sum(yes for yes, _ in checkins),
    )


async def week_facts(
    session: AsyncSession, workspace: Workspace, window: Window, settings: Settings
) -> WeekFacts:
    return WeekFacts(
        window=window,
        kudos=await kudos_facts(session, workspace, window),
        ideas=await idea_facts(session, workspace, window, settings),
        pulse=await pulse_facts(session, workspace, window, settings),
        qa=await qa_facts(session, workspace, window, settings),
        pairing=await pairing_facts(session, workspace, window),
    )

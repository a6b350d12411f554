"""Ideas' part of the weekly digest: new ideas, the top ones by trending score, the ones
gaining votes, and for community managers the ideas still waiting for a first decision."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Week
from bot.kit.safety import neutralise, truncate
from bot.kit.wording import counted
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.ideas import rules
from handlers.ideas.settings import ideas_settings
from handlers.ideas.tables import Idea, IdeaVote

SHOWN = 3
# A new idea nobody has moved on in two weeks tells its author nobody read it: by then a
# community manager should say under review, or decline it with a reason.
DECISION_DAYS = 14
LISTED = 5


@dataclass(frozen=True)
class IdeaFacts:
    new: int
    top: list[tuple[str, int, float]]  # title, active votes, trending score (the ranking)
    moving: list[tuple[str, int]]  # title, votes this week
    waiting: list[Idea]  # new for DECISION_DAYS or more at the week's end, oldest first


async def idea_facts(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> IdeaFacts:
    in_week = (col(Idea.created_at) >= week.start, col(Idea.created_at) < week.end)
    new = await session.exec(
        select(Idea.id).where(
            Idea.workspace_id == workspace.id, col(Idea.stage).in_(rules.RANKED), *in_week
        )
    )
    half_life = ideas_settings(workspace, settings).vote_half_life_days
    ranked = await rules.ranking(session, workspace, None, week.end, half_life, limit=SHOWN)
    return IdeaFacts(
        new=len(new.all()),
        top=[(r.idea.title, r.votes, r.score) for r in ranked if r.votes],
        moving=await _moving(session, workspace, week),
        waiting=await _waiting(session, workspace, week),
    )


async def _moving(session: AsyncSession, workspace: Workspace, week: Week) -> list[tuple[str, int]]:
    fresh = await session.exec(
        select(IdeaVote.idea_id, Idea.title)
        .join(Idea, col(Idea.id) == col(IdeaVote.idea_id))
        .where(
            Idea.workspace_id == workspace.id,
            col(Idea.stage).in_(rules.RANKED),
            col(IdeaVote.active),
            col(IdeaVote.changed_at) >= week.start,
            col(IdeaVote.changed_at) < week.end,
        )
    )
    moving = Counter(fresh.all())
    busiest = sorted(moving.items(), key=lambda item: (-item[1], item[0][0]))[:SHOWN]
    return [(title, votes) for (_, title), votes in busiest]


async def _waiting(session: AsyncSession, workspace: Workspace, week: Week) -> list[Idea]:
    found = await session.exec(
        select(Idea)
        .where(
            Idea.workspace_id == workspace.id,
            Idea.stage == "new",
            col(Idea.stage_changed_at) <= week.end - timedelta(days=DECISION_DAYS),
        )
        .order_by(col(Idea.stage_changed_at), col(Idea.id))
    )
    return list(found.all())


def _lines(facts: IdeaFacts) -> tuple[str, ...]:
    lines = [f"*Ideas*: {facts.new} new this week."]
    if facts.top:
        # Ranked by the score (votes that fade with age), so the score is what is shown first.
        lines.append(
            "Top, by trending score: "
            + "; ".join(
                f"“{neutralise(t)}” ({score:.1f}, from {counted(n, 'vote')})"
                for t, n, score in facts.top
            )
        )
    if facts.moving:
        lines.append("Moving: " + "; ".join(f"“{neutralise(t)}” (+{n})" for t, n in facts.moving))
    return tuple(lines)


def _to_act_on(facts: IdeaFacts, week: Week) -> tuple[str, ...]:
    lines = [
        f"Idea #{idea.id} “{neutralise(truncate(idea.title, 60))}”: new for "
        f"{(week.end - idea.stage_changed_at).days} days, no decision yet "
        f"(`/idea stage #{idea.id} under review` or `/idea decline #{idea.id} the reason`)"
        for idea in facts.waiting[:LISTED]
    ]
    if len(facts.waiting) > LISTED:
        lines.append(f"… and {counted(len(facts.waiting) - LISTED, 'more idea')} (`/idea top`)")
    return tuple(lines)


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await idea_facts(session, workspace, week, settings)
    return DigestPart(
        title="Ideas",
        lines=_lines(facts),
        summary=counted(facts.new, "new idea"),
        figures=(
            Figure("ideas.new", "New ideas", facts.new),
            Figure(
                "ideas.waiting",
                f"Ideas with no decision after {DECISION_DAYS} days",
                len(facts.waiting),
                more_is_better=False,
            ),
        ),
        to_act_on=_to_act_on(facts, week),
        facts={"new": facts.new, "top": facts.top, "moving": facts.moving},
        order=20,
    )

"""Ideas' part of the weekly digest: new ideas, the top ones by trending score, the ones
gaining votes, and for community managers the ideas still waiting for a first decision."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Week
from bot.kit.i18n import format_number
from bot.kit.safety import neutralise, truncate
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.ideas import rules
from handlers.ideas.i18n import _, ngettext
from handlers.ideas.render import decimal
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
    lines = [
        ngettext(
            "*Ideas*: {count} new this week.", "*Ideas*: {count} new this week.", facts.new
        ).format(count=format_number(facts.new))
    ]
    if facts.top:
        # Ranked by the score (votes that fade with age), so the score is what is shown first.
        top = [
            ngettext(
                "“{title}” ({score}, from {count} vote)",
                "“{title}” ({score}, from {count} votes)",
                n,
            ).format(title=neutralise(t), score=decimal(score, 1), count=format_number(n))
            for t, n, score in facts.top
        ]
        lines.append(_("Top, by trending score: {ideas}").format(ideas="; ".join(top)))
    if facts.moving:
        moving = "; ".join(f"“{neutralise(t)}” (+{format_number(n)})" for t, n in facts.moving)
        lines.append(_("Moving: {ideas}").format(ideas=moving))
    return tuple(lines)


def _to_act_on(facts: IdeaFacts, week: Week) -> tuple[str, ...]:
    lines = [
        ngettext(
            "Idea #{id} “{title}”: new for {count} day, no decision yet "
            "(`/idea stage #{id} under review` or `/idea decline #{id} the reason`)",
            "Idea #{id} “{title}”: new for {count} days, no decision yet "
            "(`/idea stage #{id} under review` or `/idea decline #{id} the reason`)",
            (week.end - idea.stage_changed_at).days,
        ).format(
            id=idea.id,
            title=neutralise(truncate(idea.title, 60)),
            count=format_number((week.end - idea.stage_changed_at).days),
        )
        for idea in facts.waiting[:LISTED]
    ]
    more = len(facts.waiting) - LISTED
    if more > 0:
        lines.append(
            ngettext(
                "… and {count} more idea (`/idea top`)",
                "… and {count} more ideas (`/idea top`)",
                more,
            ).format(count=format_number(more))
        )
    return tuple(lines)


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await idea_facts(session, workspace, week, settings)
    return DigestPart(
        title=_("Ideas"),
        lines=_lines(facts),
        summary=ngettext("{count} new idea", "{count} new ideas", facts.new).format(
            count=format_number(facts.new)
        ),
        figures=(
            Figure("ideas.new", _("New ideas"), facts.new),
            Figure(
                "ideas.waiting",
                ngettext(
                    "Ideas with no decision after {count} day",
                    "Ideas with no decision after {count} days",
                    DECISION_DAYS,
                ).format(count=format_number(DECISION_DAYS)),
                len(facts.waiting),
                more_is_better=False,
            ),
        ),
        to_act_on=_to_act_on(facts, week),
        facts={"new": facts.new, "top": facts.top, "moving": facts.moving},
        order=20,
    )

"""Mentoring's part of the weekly digest: pairs started in the week, and the share of current
pairs' check-in answers so far that say they met."""

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Week
from bot.kit.wording import counted
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.mentoring.tables import MentorPair


@dataclass(frozen=True)
class MentoringFacts:
    pairs: int
    checkins: int  # "did you meet?" answers of current pairs, all so far
    met: int

    @property
    def met_rate(self) -> int | None:
        return round(100 * self.met / self.checkins) if self.checkins else None


async def mentoring_facts(
    session: AsyncSession, workspace: Workspace, week: Week
) -> MentoringFacts:
    pairs = await session.exec(
        select(MentorPair.id).where(
            MentorPair.workspace_id == workspace.id,
            col(MentorPair.created_at) >= week.start,
            col(MentorPair.created_at) < week.end,
        )
    )
    checkins = (
        await session.exec(
            select(MentorPair.met_yes, MentorPair.met_no).where(
                MentorPair.workspace_id == workspace.id,
                MentorPair.status == "active",
                col(MentorPair.created_at) < week.end,
            )
        )
    ).all()
    return MentoringFacts(
        pairs=len(pairs.all()),
        checkins=sum(yes + no for yes, no in checkins),
        met=sum(yes for yes, _ in checkins),
    )


def line(facts: MentoringFacts) -> str:
    checkins = (
        ""
        if facts.met_rate is None
        else f" Check-ins so far: {facts.met_rate}% met ({facts.met} of {facts.checkins})."
    )
    return f"*Mentoring*: {counted(facts.pairs, 'new pair')}.{checkins}"


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await mentoring_facts(session, workspace, week)
    return DigestPart(
        title="Mentoring",
        lines=(line(facts),),
        summary=counted(facts.pairs, "new mentoring pair"),
        figures=(Figure("mentoring.pairs", "New mentoring pairs", facts.pairs),),
        facts={"pairs": facts.pairs, "met_rate": facts.met_rate},
        order=50,
    )

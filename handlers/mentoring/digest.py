"""Mentoring's part of the weekly digest: pairs started in the week, and the share of current
pairs' check-in answers so far that say they met."""

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Week
from bot.kit.i18n import format_number
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.mentoring.i18n import _, ngettext
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
    pairs = ngettext(
        "*Mentoring*: {count} new pair.", "*Mentoring*: {count} new pairs.", facts.pairs
    ).format(count=format_number(facts.pairs))
    if facts.met_rate is None:
        return pairs
    checkins = _("Check-ins so far: {rate}% met ({met} of {answers}).").format(
        rate=format_number(facts.met_rate),
        met=format_number(facts.met),
        answers=format_number(facts.checkins),
    )
    return f"{pairs} {checkins}"


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await mentoring_facts(session, workspace, week)
    return DigestPart(
        title=_("Mentoring"),
        lines=(line(facts),),
        summary=ngettext(
            "{count} new mentoring pair", "{count} new mentoring pairs", facts.pairs
        ).format(count=format_number(facts.pairs)),
        figures=(Figure("mentoring.pairs", _("New mentoring pairs"), facts.pairs),),
        facts={"pairs": facts.pairs, "met_rate": facts.met_rate},
        order=50,
    )

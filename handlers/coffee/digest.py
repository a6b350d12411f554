"""Coffee's part of the weekly digest: groups started in the week, and how many of the groups
that answered "did you meet?" in the week did meet."""

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Measure, Week
from bot.kit.i18n import format_number
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.coffee.i18n import _, ngettext
from handlers.coffee.tables import CoffeeGroup


@dataclass(frozen=True)
class CoffeeFacts:
    groups: int
    answered: int
    met: int

    @property
    def met_rate(self) -> int | None:
        return round(100 * self.met / self.answered) if self.answered else None


async def coffee_facts(session: AsyncSession, workspace: Workspace, week: Week) -> CoffeeFacts:
    groups = await session.exec(
        select(CoffeeGroup.id).where(
            CoffeeGroup.workspace_id == workspace.id,
            col(CoffeeGroup.created_at) >= week.start,
            col(CoffeeGroup.created_at) < week.end,
        )
    )
    answered = list(
        (
            await session.exec(
                select(CoffeeGroup.met).where(
                    CoffeeGroup.workspace_id == workspace.id,
                    col(CoffeeGroup.met).is_not(None),
                    col(CoffeeGroup.answered_at) >= week.start,
                    col(CoffeeGroup.answered_at) < week.end,
                )
            )
        ).all()
    )
    return CoffeeFacts(len(groups.all()), len(answered), sum(1 for met in answered if met))


def line(facts: CoffeeFacts) -> str:
    groups = format_number(facts.groups)
    if facts.met_rate is None:
        return ngettext(
            "*Coffee*: {count} group started; met-rate: no answers yet.",
            "*Coffee*: {count} groups started; met-rate: no answers yet.",
            facts.groups,
        ).format(count=groups)
    return ngettext(
        "*Coffee*: {count} group started; met-rate: {rate}% met ({met} of {answers}).",
        "*Coffee*: {count} groups started; met-rate: {rate}% met ({met} of {answers}).",
        facts.groups,
    ).format(
        count=groups,
        rate=format_number(facts.met_rate),
        met=format_number(facts.met),
        answers=format_number(facts.answered),
    )


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await coffee_facts(session, workspace, week)
    figures = [Figure("coffee.groups", _("Coffee groups"), facts.groups)]
    if facts.met_rate is not None:
        figures.append(Figure("coffee.met", _("Coffee met-rate"), facts.met_rate, Measure.PERCENT))
    return DigestPart(
        title=_("Coffee"),
        lines=(line(facts),),
        summary=ngettext("{count} coffee group", "{count} coffee groups", facts.groups).format(
            count=format_number(facts.groups)
        ),
        figures=tuple(figures),
        facts={"groups": facts.groups, "met_rate": facts.met_rate},
        order=60,
    )

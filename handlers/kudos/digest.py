"""Kudos' part of the weekly digest: how many, between how many people, the values used, and
every kudos of the week as a spotlight the digest may feature (kudos are public already)."""

from collections import Counter
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.digest import DigestPart, Figure, Spotlight, Week
from bot.kit.i18n import format_list, format_number
from bot.kit.people import display_names
from bot.kit.safety import neutralise, truncate
from bot.models import Workspace
from bot.wiring.config import Settings
from handlers.kudos.i18n import _, ngettext
from handlers.kudos.tables import Kudos

REASON_LENGTH = 140


@dataclass(frozen=True)
class KudosFacts:
    total: int
    givers: int
    receivers: int
    values: list[tuple[str, int]]
    spotlights: list[Spotlight]


async def kudos_facts(session: AsyncSession, workspace: Workspace, week: Week) -> KudosFacts:
    given = list(
        (
            await session.exec(
                select(Kudos)
                .where(
                    Kudos.workspace_id == workspace.id,
                    col(Kudos.created_at) >= week.start,
                    col(Kudos.created_at) < week.end,
                )
                .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
            )
        ).all()
    )
    who = await display_names(session, {k.giver_id for k in given} | {k.receiver_id for k in given})
    values = Counter(k.value for k in given if k.value)
    return KudosFacts(
        total=len(given),
        givers=len({k.giver_id for k in given}),
        receivers=len({k.receiver_id for k in given}),
        values=sorted(values.items(), key=lambda item: (-item[1], item[0])),
        spotlights=[_spotlight(k, who) for k in given],
    )


def _spotlight(kudos: Kudos, who: dict[int, str]) -> Spotlight:
    tag = f" #{kudos.value}" if kudos.value else ""
    return Spotlight(
        (kudos.giver_id, kudos.receiver_id),
        f"{neutralise(who[kudos.giver_id])} → {neutralise(who[kudos.receiver_id])}: "
        f"“{neutralise(truncate(kudos.reason, REASON_LENGTH))}”{tag}",
    )


def _people(count: int) -> str:
    return ngettext("{count} person", "{count} people", count).format(count=format_number(count))


def _lines(facts: KudosFacts) -> tuple[str, ...]:
    if not facts.total:
        return (_("*Kudos*: none this week. Who helped you lately? `/kudos @name why`"),)
    lines = [
        ngettext(
            "*Kudos*: {count} from {givers} to {receivers}.",
            "*Kudos*: {count} from {givers} to {receivers}.",
            facts.total,
        ).format(
            count=format_number(facts.total),
            givers=_people(facts.givers),
            receivers=_people(facts.receivers),
        )
    ]
    if facts.values:
        used = format_list(f"#{tag} ({format_number(n)})" for tag, n in facts.values)
        lines.append(_("Values: {values}").format(values=used))
    return tuple(lines)


async def part(
    session: AsyncSession, workspace: Workspace, week: Week, settings: Settings
) -> DigestPart:
    facts = await kudos_facts(session, workspace, week)
    return DigestPart(
        title=_("Kudos"),
        lines=_lines(facts),
        summary=ngettext("{count} kudos", "{count} kudos", facts.total).format(
            count=format_number(facts.total)
        ),
        figures=(
            Figure("kudos", _("Kudos"), facts.total),
            Figure("kudos.receivers", _("People recognised"), facts.receivers),
        ),
        spotlights=tuple(facts.spotlights),
        facts={"total": facts.total, "values": facts.values},
        order=10,
    )

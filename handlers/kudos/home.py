"""Kudos on a person's home page: what is left to give today, recent kudos both ways, and a
button that opens the kudos form."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.home import HomePart
from bot.contract.ui import Button, Section
from bot.kit.wording import day_month, list_line
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.kudos.i18n import _
from handlers.kudos.rules import allowance
from handlers.kudos.settings import kudos_settings
from handlers.kudos.tables import Kudos

RECENT = 5
START = "kudos.start"


async def _lines(session: AsyncSession, person: Person, *, given: bool) -> str:
    mine, theirs = (
        (Kudos.giver_id, Kudos.receiver_id) if given else (Kudos.receiver_id, Kudos.giver_id)
    )
    found = await session.exec(
        select(Kudos, Person.display_name)
        .join(Person, col(Person.id) == theirs)
        .where(mine == person.id)
        .order_by(col(Kudos.created_at).desc(), col(Kudos.id).desc())
        .limit(RECENT)
    )
    line = _("• {day} to {name}: {reason}") if given else _("• {day} from {name}: {reason}")
    return "\n".join(
        line.format(
            day=day_month(kudos.created_at, person.timezone),
            name=list_line(name),
            reason=list_line(kudos.reason),
        )
        for kudos, name in found.all()
    )


async def part(
    session: AsyncSession, workspace: Workspace, person: Person, settings: Settings, now: datetime
) -> HomePart:
    left = (await allowance(session, person, kudos_settings(workspace, settings), now)).left
    head = (
        _("*🎉 Kudos* — you can give {left} more today.").format(left=left)
        if left
        else _("*🎉 Kudos* — none left to give today.")
    )
    received = await _lines(session, person, given=False) or _("Nothing received yet.")
    given = await _lines(session, person, given=True) or _(
        "Nothing given yet: try `/kudos @name what they did`."
    )
    return HomePart(
        blocks=[
            Section(text=head),
            Section(text=_("_Received_") + f"\n{received}"),
            Section(text=_("_Given_") + f"\n{given}"),
        ],
        actions=[Button(action_id=START, label=_("🎉 Give kudos"), style="primary")],
    )

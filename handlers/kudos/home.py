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
    word = "to" if given else "from"
    return "\n".join(
        f"• {day_month(kudos.created_at, person.timezone)} {word} {list_line(name)}: "
        f"{list_line(kudos.reason)}"
        for kudos, name in found.all()
    )


async def part(
    session: AsyncSession, workspace: Workspace, person: Person, settings: Settings, now: datetime
) -> HomePart:
    left = (await allowance(session, person, kudos_settings(workspace, settings), now)).left
    head = (
        f"*🎉 Kudos* — you can give {left} more today."
        if left
        else "*🎉 Kudos* — none left to give today."
    )
    received = await _lines(session, person, given=False) or "Nothing received yet."
    given = (
        await _lines(session, person, given=True)
        or "Nothing given yet: try `/kudos @name what they did`."
    )
    return HomePart(
        blocks=[
            Section(text=head),
            Section(text=f"_Received_\n{received}"),
            Section(text=f"_Given_\n{given}"),
        ],
        actions=[Button(action_id=START, label="🎉 Give kudos", style="primary")],
    )

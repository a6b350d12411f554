"""What coffee pairing adds to a person's export and erasure.

Coffee groups list their members in JSON, out of reach of a foreign key: the export reads
them here, and erasure puts the stand-in in the person's place. Pairings still to come are
taken apart first (handlers.coffee.erasure), so that nobody keeps a partner who is gone.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.erasure_notice import Notice
from bot.kit.personal_data import PersonalData, Rows
from bot.models import Person
from handlers.coffee.erasure import leave_pending
from handlers.coffee.tables import CoffeeGroup


async def _groups(
    session: AsyncSession, person: Person, names: Mapping[int, str]
) -> dict[str, Rows]:
    found = await session.exec(
        select(CoffeeGroup).where(CoffeeGroup.workspace_id == person.workspace_id)
    )
    groups = [
        {
            "period": group.period,
            "with": [names.get(m) for m in group.members if m != person.id],
            "met": group.met,
            "created_at": group.created_at.isoformat(),
        }
        for group in found.all()
        if person.id in group.members
    ]
    return {"coffee groups": groups} if groups else {}  # not translated: a key of the export


async def _ending(session: AsyncSession, person_id: int, now: datetime) -> list[Notice]:
    return await leave_pending(session, person_id)


async def _repoint(session: AsyncSession, person_id: int, stand_in_id: int) -> None:
    found = await session.exec(select(CoffeeGroup))
    for group in found.all():
        if person_id in group.members:
            group.members = [stand_in_id if m == person_id else m for m in group.members]
    await session.flush()


PERSONAL_DATA = PersonalData(
    labels={
        ("coffee_member", "person_id"): "coffee pairing membership"  # not translated: a key
    },
    sections=_groups,
    personal_tables=frozenset({"coffee_member"}),
    ending=_ending,
    repoint=_repoint,
)

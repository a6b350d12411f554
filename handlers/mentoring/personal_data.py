"""What mentoring and coffee pairing add to a person's export and erasure.

Coffee groups list their members in JSON, out of reach of a foreign key: the export reads
them here, and erasure puts the stand-in in the person's place. Matches and pairings still to
come end first (handlers.mentoring.erasure), so that nobody keeps a partner who is gone.
"""

from collections.abc import Mapping

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.personal_data import PersonalData, Rows
from bot.models import Person
from handlers.mentoring.coffee_tables import CoffeeGroup
from handlers.mentoring.erasure import end_for


async def _coffee_groups(
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
    return {"coffee groups": groups} if groups else {}


async def _repoint_coffee_groups(session: AsyncSession, person_id: int, stand_in_id: int) -> None:
    found = await session.exec(select(CoffeeGroup))
    for group in found.all():
        if person_id in group.members:
            group.members = [stand_in_id if m == person_id else m for m in group.members]
    await session.flush()


PERSONAL_DATA = PersonalData(
    labels={
        ("mentor_profile", "person_id"): "mentoring profile",
        ("mentor_pair", "mentor_id"): "mentoring pairs (as mentor)",
        ("mentor_pair", "mentee_id"): "mentoring pairs (as mentee)",
        ("mentor_avoid", "person_id"): "people you asked not to be paired with",
        ("coffee_member", "person_id"): "coffee pairing membership",
    },
    # Someone else's private wish about this person: not theirs to read.
    not_exported=frozenset({("mentor_avoid", "avoid_id")}),
    sections=_coffee_groups,
    personal_tables=frozenset({"coffee_member", "mentor_avoid", "mentor_profile"}),
    their_words={
        ("mentor_pair", "mentor_id"): {"reasons": {}},
        ("mentor_pair", "mentee_id"): {"reasons": {}},
    },
    ending=end_for,
    repoint=_repoint_coffee_groups,
)

"""What erasing someone ends in coffee pairing, and whom to tell.

Their coffee pairings not yet answered are taken apart. The others in the group are told
without being told who.
"""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.erasure_notice import Notice
from handlers.coffee.i18n import _
from handlers.coffee.tables import CoffeeGroup


def coffee_ended() -> str:
    return _(
        "Your coffee pairing this round is off: the other person is no longer taking part. "
        "You'll be paired again next round."
    )


def coffee_smaller() -> str:
    return _(
        "Someone in your coffee group this round is no longer taking part; the rest of you are "
        "still on."
    )


async def leave_pending(session: AsyncSession, person_id: int) -> list[Notice]:
    """A pairing nobody has answered yet is still to come: it goes on without them, or, with
    one person left, is called off. Answered ones stay as they are, for the met-rate."""
    found = await session.exec(select(CoffeeGroup).where(col(CoffeeGroup.met).is_(None)))
    notices = []
    for group in found.all():
        if person_id not in group.members:
            continue
        rest = [m for m in group.members if m != person_id]
        if len(rest) < 2:
            await session.delete(group)
            notices += [Notice(m, coffee_ended) for m in rest]
        else:
            group.members = rest
            session.add(group)
            notices += [Notice(m, coffee_smaller) for m in rest]
    return notices

"""What erasing someone ends in mentoring and coffee pairing, and whom to tell.

Their open mentoring matches end (so the other side's mentor capacity, or their wish for a
mentor, is free for the next round), and their coffee pairings not yet answered are taken
apart. The other people are told without being told who: the words go to them after the
erasure, and must not name the person erased.
"""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.personal_data import Notice
from handlers.mentoring.coffee_tables import CoffeeGroup
from handlers.mentoring.rounds import OPEN
from handlers.mentoring.tables import MentorPair, PairStatus

ENDED: PairStatus = "ended"

MATCH_ENDED = (
    "One of your mentoring matches has ended: the other person is no longer taking part. "
    "Your place is free again for the next matching round."
)
COFFEE_ENDED = (
    "Your coffee pairing this round is off: the other person is no longer taking part. "
    "You'll be paired again next round."
)
COFFEE_SMALLER = (
    "Someone in your coffee group this round is no longer taking part; the rest of you are "
    "still on."
)


async def end_for(session: AsyncSession, person_id: int, now: datetime) -> list[Notice]:
    """End `person_id`'s open matches and pending coffee pairings; who to tell, and what."""
    notices = await _end_matches(session, person_id, now)
    notices += await _leave_pending_coffee(session, person_id)
    await session.flush()
    return notices


async def _end_matches(session: AsyncSession, person_id: int, now: datetime) -> list[Notice]:
    found = await session.exec(
        select(MentorPair).where(
            (MentorPair.mentor_id == person_id) | (MentorPair.mentee_id == person_id),
            col(MentorPair.status).in_(OPEN),
        )
    )
    notices = []
    for pair in found.all():
        pair.status = ENDED
        pair.last_response_at = now
        session.add(pair)
        other = pair.mentee_id if pair.mentor_id == person_id else pair.mentor_id
        notices.append(Notice(other, MATCH_ENDED))
    return notices


async def _leave_pending_coffee(session: AsyncSession, person_id: int) -> list[Notice]:
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
            notices += [Notice(m, COFFEE_ENDED) for m in rest]
        else:
            group.members = rest
            session.add(group)
            notices += [Notice(m, COFFEE_SMALLER) for m in rest]
    return notices

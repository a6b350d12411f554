"""What erasing someone ends in mentoring, and whom to tell.

Their open mentoring matches end, so the other side's mentor capacity, or their wish for a
mentor, is free for the next round. The other side is told without being told who.
"""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.erasure_notice import Notice
from handlers.mentoring.i18n import _
from handlers.mentoring.rounds import OPEN
from handlers.mentoring.tables import MentorPair, PairStatus

ENDED: PairStatus = "ended"


def match_ended() -> str:
    return _(
        "One of your mentoring matches has ended: the other person is no longer taking part. "
        "Your place is free again for the next matching round."
    )


async def end_for(session: AsyncSession, person_id: int, now: datetime) -> list[Notice]:
    """End `person_id`'s open matches; who to tell, and what."""
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
        notices.append(Notice(other, match_ended))
    return notices

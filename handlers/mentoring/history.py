"""The interaction edges mentoring implies: mentor -> mentee, once per meeting they said took
place."""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import PastEdge
from handlers.mentoring.tables import MentorPair

# The interaction of a mentoring meeting that took place: mentor -> mentee.
MENTORING = "mentoring"


async def edges(session: AsyncSession, workspace_id: int) -> list[PastEdge]:
    pairs = await session.exec(
        select(MentorPair).where(MentorPair.workspace_id == workspace_id, MentorPair.met_yes > 0)
    )
    return [
        (
            p.mentor_id,
            p.mentee_id,
            MENTORING,
            f"mentoring:{p.id}:{n}",
            p.last_response_at or p.activated_at or p.created_at,
        )
        for p in pairs.all()
        for n in range(1, p.met_yes + 1)
    ]

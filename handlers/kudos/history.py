"""The interaction edges kudos imply: giver -> receiver, one per kudos batch."""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import PastEdge
from handlers.kudos.tables import Kudos

# The interaction a kudos is: giver -> receiver.
KUDOS = "kudos"


async def edges(session: AsyncSession, workspace_id: int) -> list[PastEdge]:
    found = await session.exec(select(Kudos).where(Kudos.workspace_id == workspace_id))
    return [
        (k.giver_id, k.receiver_id, KUDOS, f"kudos:{k.batch}", k.created_at) for k in found.all()
    ]

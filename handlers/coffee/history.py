"""The interaction edges coffee pairing implies: one per pair of people in a group that met."""

from itertools import combinations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import PastEdge
from handlers.coffee.tables import CoffeeGroup

# The interaction of a coffee meeting that took place, one edge per pair in the group.
COFFEE = "coffee"


async def edges(session: AsyncSession, workspace_id: int) -> list[PastEdge]:
    groups = await session.exec(
        select(CoffeeGroup).where(
            CoffeeGroup.workspace_id == workspace_id, col(CoffeeGroup.met).is_(True)
        )
    )
    return [
        (a, b, COFFEE, f"coffee:{g.id}", g.answered_at or g.created_at)
        for g in groups.all()
        for a, b in combinations(sorted(g.members), 2)
    ]

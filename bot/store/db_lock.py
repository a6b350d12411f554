"""Reading a row for update: the target of a button click, or the workspace a round pairs in."""

from typing import TypeVar

from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Workspace

M = TypeVar("M", bound=SQLModel)


async def locked_by_id(session: AsyncSession, model: type[M], raw_id: str) -> M | None:
    """The row whose id a button value carries, locked until the transaction ends.

    Two people may click at once; the lock makes the second see the first's change.
    `populate_existing` refreshes a copy the session may already hold. None for a value that
    is not an id or names no row.
    """
    if not raw_id.isdigit():
        return None
    found = await session.exec(
        select(model)
        .where(model.id == int(raw_id))  # type: ignore[attr-defined]
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return found.first()


async def lock_workspace(session: AsyncSession, workspace: Workspace) -> None:
    """Rounds take turns: two at once (an admin's and a scheduled one) would each see the
    same free people and pair them twice. Mentoring and coffee rounds share the lock."""
    await session.exec(select(Workspace.id).where(Workspace.id == workspace.id).with_for_update())

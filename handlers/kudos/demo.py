"""The demo workspace's company values, so that `/kudos @bob +teamwork …` works at once."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Workspace
from handlers.kudos.tables import CompanyValue

VALUES = [
    ("teamwork", "We win together"),
    ("customer", "Customers first"),
    ("ownership", "We own the outcome"),
    ("curiosity", "We keep learning"),
]


async def seed_values(session: AsyncSession, workspace: Workspace, now: datetime) -> None:
    assert workspace.id is not None
    session.add_all(
        CompanyValue(workspace_id=workspace.id, tag=tag, description=text) for tag, text in VALUES
    )

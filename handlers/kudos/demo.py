"""The demo workspace's company values, so that `/kudos @bob +teamwork …` works at once."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Workspace
from handlers.kudos.tables import CompanyValue

VALUES = [
    ("teamwork", "We win together"),  # not translated: demo content
    ("customer", "Customers first"),  # not translated: demo content
    ("ownership", "We own the outcome"),  # not translated: demo content
    ("curiosity", "We keep learning"),  # not translated: demo content
]


async def seed_values(session: AsyncSession, workspace: Workspace, now: datetime) -> None:
    assert workspace.id is not None
    session.add_all(
        CompanyValue(workspace_id=workspace.id, tag=tag, description=text) for tag, text in VALUES
    )

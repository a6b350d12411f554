"""The profile on a person's home page: a button that opens their settings."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.home import HomePart
from bot.contract.ui import Button
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.profile.i18n import _


async def part(
    session: AsyncSession, workspace: Workspace, person: Person, settings: Settings, now: datetime
) -> HomePart:
    return HomePart(actions=[Button(action_id="profile.settings", label=_("⚙️ My settings"))])

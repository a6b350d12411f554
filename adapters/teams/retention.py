"""The Teams adapter's retention rule: messages it remembered to answer reactions go after
RETENTION_TEAMS_MESSAGES_DAYS, a setting of the adapter's own (settings.py)."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col

from adapters.teams.settings import teams_settings
from adapters.teams.tables import TeamsMessage
from bot.store.expiry import Expiry, Purge
from bot.wiring.config import Settings


async def _teams_messages(purge: Purge, cutoff: datetime) -> int:
    return await purge.delete_where(TeamsMessage, col(TeamsMessage.seen_at) < cutoff)


def expiries(settings: Settings) -> Sequence[Expiry]:
    days = teams_settings(settings).messages_retention_days
    return [Expiry("teams_messages", days, _teams_messages)]

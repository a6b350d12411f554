"""The dashboard's retention rule: sign-in links go RETENTION_DASHBOARD_LINKS_DAYS after they
expired or were used."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import col, or_

from bot.store.expiry import Expiry, Purge
from bot.wiring.config import Settings
from handlers.dashboard.settings import dashboard_settings
from handlers.dashboard.tables import DashboardLink


async def _dashboard_links(purge: Purge, cutoff: datetime) -> int:
    expired: ColumnElement[bool] = or_(
        col(DashboardLink.expires_at) < cutoff, col(DashboardLink.used_at) < cutoff
    )
    return await purge.delete_where(DashboardLink, expired)


def expiries(settings: Settings) -> Sequence[Expiry]:
    days = dashboard_settings(settings).links_retention_days
    return [Expiry("dashboard_links", days, _dashboard_links)]

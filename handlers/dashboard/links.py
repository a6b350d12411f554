"""One-time sign-in links to the dashboard. Only a SHA-256 of each token is stored, so the
table alone cannot be used to sign in; a link works once, and only until it expires."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Person
from handlers.dashboard.tables import DashboardLink

Refusal = Literal["unknown", "used", "expired"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(session: AsyncSession, person: Person, now: datetime, minutes: int) -> str:
    """A fresh token for `person`; the caller puts it in a link and sends it to them only."""
    token = secrets.token_urlsafe(32)
    session.add(
        DashboardLink(
            workspace_id=person.workspace_id,
            person_id=person.id or 0,
            token_hash=token_hash(token),
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    await session.flush()
    return token


async def _find(session: AsyncSession, token: str) -> DashboardLink | None:
    found = await session.exec(
        select(DashboardLink).where(DashboardLink.token_hash == token_hash(token))
    )
    return found.first()


async def check(session: AsyncSession, token: str, now: datetime) -> DashboardLink | Refusal:
    """The link if it could still be used now (nothing changes), else why not."""
    link = await _find(session, token)
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    return "expired" if link.expires_at <= now else link


async def redeem(session: AsyncSession, token: str, now: datetime) -> DashboardLink | Refusal:
    """Use the link up. A conditional update, so two clicks at once (or two replicas) cannot
    both get in with the same link."""
    used = await session.exec(
        update(DashboardLink)
        .where(
            col(DashboardLink.token_hash) == token_hash(token),
            col(DashboardLink.used_at).is_(None),
            col(DashboardLink.expires_at) > now,
        )
        .values(used_at=now)
    )
    link = await _find(session, token)
    if used.rowcount != 1 or link is None:
        found = await check(session, token, now)
        return found if isinstance(found, str) else "used"
    return link

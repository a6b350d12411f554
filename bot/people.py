"""Workspaces and people are created on first sight."""

from datetime import datetime
from zoneinfo import available_timezones

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.audit import record
from bot.db_upsert import insert_ignore
from bot.events import Actor
from bot.models import Person, Workspace
from bot.roles import Role

_ZONES = available_timezones()
# Platforms allow longer names than anyone reads; the columns keep the first 200 characters.
NAME_LENGTH = 200


def valid_timezone(name: str | None, fallback: str = "UTC") -> str:
    return name if name in _ZONES else fallback


async def ensure_workspace(
    session: AsyncSession,
    platform: str,
    external_id: str,
    name: str,
    now: datetime,
    timezone: str = "UTC",
) -> Workspace:
    await insert_ignore(
        session,
        Workspace,
        [
            {
                "platform": platform,
                "external_id": external_id,
                "name": (name or external_id)[:NAME_LENGTH],
                "timezone": timezone,
                "settings": {},
                "created_at": now,
            }
        ],
    )
    found = await session.exec(
        select(Workspace).where(
            Workspace.platform == platform, Workspace.external_id == external_id
        )
    )
    return found.one()


async def find_person(session: AsyncSession, workspace: Workspace, user_id: str) -> Person | None:
    found = await session.exec(
        select(Person).where(
            Person.workspace_id == workspace.id, Person.platform_user_id == user_id
        )
    )
    return found.first()


async def ensure_person(
    session: AsyncSession, workspace: Workspace, actor: Actor, now: datetime
) -> Person:
    """The person behind `actor`; the first human seen in a new workspace becomes its admin."""
    person = await find_person(session, workspace, actor.id)
    if person is not None:
        shown = actor.name[:NAME_LENGTH]
        if shown and person.display_name != shown:
            person.display_name = shown
        return person
    roles = [] if actor.is_bot or await _has_humans(session, workspace) else [Role.ADMIN.value]
    inserted = await insert_ignore(
        session,
        Person,
        [
            {
                "workspace_id": workspace.id,
                "platform_user_id": actor.id,
                "display_name": (actor.name or actor.id)[:NAME_LENGTH],
                "email": actor.email,
                "timezone": valid_timezone(actor.timezone, workspace.timezone),
                "roles": roles,
                "is_bot": actor.is_bot,
                "created_at": now,
            }
        ],
    )
    created = await find_person(session, workspace, actor.id)
    assert created is not None
    if inserted and roles:
        # Nobody granted this admin role, so the audit log names no actor.
        assert workspace.id is not None
        await record(
            session,
            workspace.id,
            None,
            "role.grant",
            now,
            subject_id=created.id,
            role=Role.ADMIN.value,
            reason="first person seen",
        )
    return created


async def _has_humans(session: AsyncSession, workspace: Workspace) -> bool:
    found = await session.exec(
        select(Person.id).where(Person.workspace_id == workspace.id, col(Person.is_bot).is_(False))
    )
    return found.first() is not None

"""Platform rosters into the people directory: one record per person, as the platform says.

A roster page is written as the platform source (bot/kit/directory.py): it fills in and
corrects what was typed, never what an HR file or SCIM set. A member is matched by platform
user id, else by e-mail to a record that waits for its account (named by HR or SCIM first),
else created. A workspace without an admin gets the members the platform names as its
admins or owners, as a first person seen would be.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.platform import Member
from bot.kit.audit import record
from bot.kit.directory import Source, claim_pending, set_active, write
from bot.kit.people import NAME_LENGTH, find_person, has_admin, valid_timezone
from bot.kit.roles import Role
from bot.kit.safety import neutralise
from bot.models import Person, Workspace

TEXT_LENGTH = 200


@dataclass(frozen=True)
class Synced:
    created: int
    updated: int


async def apply_members(
    session: AsyncSession, workspace: Workspace, members: list[Member], now: datetime
) -> Synced:
    """Write one roster page; managers are resolved within the page and the workspace."""
    assert workspace.id is not None
    created = updated = 0
    written: list[tuple[Person, Member]] = []
    for member in members:
        person = await find_person(session, workspace, member.actor.id)
        if person is None:
            person = await claim_pending(session, workspace.id, member.actor.email, member.actor.id)
        if person is None:
            person = Person(
                workspace_id=workspace.id,
                platform_user_id=member.actor.id,
                display_name=(member.actor.name or member.actor.id)[:NAME_LENGTH],
                timezone=valid_timezone(member.actor.timezone, workspace.timezone),
                is_bot=member.actor.is_bot,
                created_at=now,
            )
            created += 1
        before = _profile_of(person)
        _write(person, member, now)
        if person.id is not None and before != _profile_of(person):
            updated += 1
        session.add(person)
        written.append((person, member))
    await session.flush()
    for person, member in written:
        await _manager(session, workspace, person, member)
    await _first_admins(session, workspace, written, now)
    return Synced(created, updated)


def _profile_of(person: Person) -> tuple[object, ...]:
    return (
        person.display_name,
        person.email,
        person.timezone,
        person.department,
        person.location,
        person.active,
    )


def _write(person: Person, member: Member, now: datetime) -> None:
    """What the platform says of `person`, where no better source set it."""
    actor = member.actor
    for field, value in (
        ("name", (actor.name or "")[:NAME_LENGTH] or None),
        ("email", actor.email.lower() if actor.email else None),
        ("timezone", valid_timezone(actor.timezone, "") or None),
        ("department", _text(member.department)),
        ("location", _text(member.location)),
    ):
        if value is not None:
            write(person, field, value, Source.PLATFORM)
    set_active(person, member.active, Source.PLATFORM, now.date())


def _text(value: str | None) -> str | None:
    cleaned = " ".join(neutralise(value or "").split())[:TEXT_LENGTH]
    return cleaned or None


async def _manager(
    session: AsyncSession, workspace: Workspace, person: Person, member: Member
) -> None:
    if member.manager is None:
        return
    boss = await find_person(session, workspace, member.manager)
    if boss is not None and boss.id != person.id:
        write(person, "manager", boss.id, Source.PLATFORM)


async def _first_admins(
    session: AsyncSession, workspace: Workspace, written: list[tuple[Person, Member]], now: datetime
) -> None:
    named = [p for p, m in written if m.actor.platform_admin and m.active and not m.actor.is_bot]
    if not named or await has_admin(session, workspace.id):
        return
    assert workspace.id is not None
    for person in named:
        person.roles = sorted({*person.roles, Role.ADMIN.value})
        session.add(person)
        await record(
            session,
            workspace.id,
            None,
            "role.grant",
            now,
            subject_id=person.id,
            role=Role.ADMIN.value,
            reason="platform admin on the roster",
        )

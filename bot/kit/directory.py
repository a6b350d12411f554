"""The people directory: one record per person and workspace, fed by several sources.

A field is written by the source that knows it best, and a lesser source never overwrites a
better one: HR files and SCIM (what the company keeps) over platform profiles and rosters
over what someone typed in chat. Between equals (HR and SCIM) the latest write wins. Each
person's `sources` keeps, per field, the source of its value, for admins to see.

A person whom an HR file or an identity provider names before their platform account is
seen is kept under a pending id made from their e-mail; the first platform account with that
e-mail claims the record (bot.kit.people.ensure_person and the roster syncs).
"""

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import Person

PENDING = "pending:"


class Source(StrEnum):
    TYPED = "typed"
    PLATFORM = "platform"
    HR = "hr"
    SCIM = "scim"


RANK = {Source.TYPED: 0, Source.PLATFORM: 1, Source.HR: 2, Source.SCIM: 2}
# Directory field -> Person attribute.
FIELDS = {
    "name": "display_name",
    "email": "email",
    "timezone": "timezone",
    "department": "department",
    "manager": "manager_id",
    "location": "location",
    "active": "active",
}


def pending_id(email: str) -> str:
    return PENDING + email.lower()


def is_pending(person: Person) -> bool:
    return person.platform_user_id.startswith(PENDING)


def reachable() -> ColumnElement[bool]:
    """People whom messages reach and audiences count: active, with a platform account."""
    return and_(
        col(Person.active).is_(True),
        not_(col(Person.platform_user_id).startswith(PENDING)),
    )


def is_reachable(person: Person) -> bool:
    return person.active and not is_pending(person)


def source_of(person: Person, field: str) -> Source | None:
    known = person.sources.get(field, "")
    return Source(known) if known in set(Source) else None


def may_write(person: Person, field: str, source: Source) -> bool:
    current = source_of(person, field)
    return current is None or RANK[source] >= RANK[current]


def write(person: Person, field: str, value: Any, source: Source) -> bool:
    """Set `field` from `source` unless a better source set it; True if it was written."""
    if not may_write(person, field, source):
        return False
    attribute = FIELDS[field]
    if getattr(person, attribute) != value:
        setattr(person, attribute, value)
    if person.sources.get(field) != source.value:
        # A new dict, so SQLAlchemy sees the JSON column change.
        person.sources = {**person.sources, field: source.value}
    return True


def set_active(person: Person, active: bool, source: Source, today: date) -> bool:
    """Mark them as here or gone (unless a better source said otherwise); the day they left
    starts the retention window of what the directory holds about them."""
    if not write(person, "active", active, source):
        return False
    person.left_on = None if active else (person.left_on or today)
    return True


async def by_email(session: AsyncSession, workspace_id: int, email: str) -> Person | None:
    found = await session.exec(
        select(Person)
        .where(Person.workspace_id == workspace_id, func.lower(Person.email) == email.lower())
        .order_by(col(Person.id))
    )
    return found.first()


async def claim_pending(
    session: AsyncSession, workspace_id: int, email: str | None, platform_user_id: str
) -> Person | None:
    """The record waiting for the account with this e-mail, now given its platform id."""
    if not email:
        return None
    found = await session.exec(
        select(Person).where(
            Person.workspace_id == workspace_id,
            Person.platform_user_id == pending_id(email),
        )
    )
    person = found.first()
    if person is not None:
        person.platform_user_id = platform_user_id
        session.add(person)
        await session.flush()
    return person

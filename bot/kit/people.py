"""Workspaces and people are created on first sight."""

from datetime import datetime
from typing import TypeVar
from zoneinfo import available_timezones

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.events import Actor
from bot.kit.audit import record
from bot.kit.directory import Source, claim_pending, may_write
from bot.kit.i18n import shipped
from bot.kit.language import PLATFORM, note_platform_language
from bot.kit.roles import Role
from bot.models import Person, Workspace
from bot.store.db_upsert import insert_ignore

_ZONES = available_timezones()
Row = TypeVar("Row", Workspace, Person)
# Platforms allow longer names than anyone reads; the columns keep the first 200 characters.
NAME_LENGTH = 200


def valid_timezone(name: str | None, fallback: str = "UTC") -> str:
    return name if name in _ZONES else fallback


# Built once, values as parameters: each event asks some of them, and building a statement
# cost more than SQLite's work on it (bot/store/db_upsert.py).
_WORKSPACE = select(Workspace).where(
    Workspace.platform == bindparam("platform"),
    Workspace.external_id == bindparam("external_id"),
)
_PERSON = select(Person).where(
    Person.workspace_id == bindparam("workspace"), Person.platform_user_id == bindparam("user_id")
)
_PEOPLE_NAMED = select(Person).where(
    Person.workspace_id == bindparam("workspace"),
    col(Person.platform_user_id).in_(bindparam("ids", expanding=True)),
)


async def ensure_workspace(
    session: AsyncSession,
    platform: str,
    external_id: str,
    name: str,
    now: datetime,
    timezone: str = "UTC",
) -> Workspace:
    # Looked up first: every event names its workspace, and all but the first find it.
    known = await _workspace(session, platform, external_id)
    if known is not None:
        return known
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
    created = await _workspace(session, platform, external_id)
    assert created is not None
    return created


async def _workspace(session: AsyncSession, platform: str, external_id: str) -> Workspace | None:
    key = ("workspace", platform, external_id)
    known = await _remembered(session, Workspace, key)
    if known is None or (known.platform, known.external_id) != (platform, external_id):
        asked = {"platform": platform, "external_id": external_id}
        known = (await session.exec(_WORKSPACE, params=asked)).first()
    if known is not None:
        _remember(session, key, known)
    return known


async def known_workspace(
    session: AsyncSession, platform: str, external_id: str
) -> Workspace | None:
    """The workspace if it exists, remembered for the rest of the transaction."""
    return await _workspace(session, platform, external_id)


async def look_ahead(session: AsyncSession, workspace: Workspace, user_ids: set[str]) -> None:
    """Read the people of `user_ids` at once, for find_person to take from the session:
    a batch of events names several (actors, authors, mentions) each needing a read."""
    if not user_ids:
        return
    asked = {"workspace": workspace.id, "ids": sorted(user_ids)}
    found = await session.exec(_PEOPLE_NAMED, params=asked)
    for person in found.all():
        _remember(session, ("person", workspace.id, person.platform_user_id), person)


async def find_person(session: AsyncSession, workspace: Workspace, user_id: str) -> Person | None:
    key = ("person", workspace.id, user_id)
    known = await _remembered(session, Person, key)
    if known is None or (known.workspace_id, known.platform_user_id) != (workspace.id, user_id):
        asked = {"workspace": workspace.id, "user_id": user_id}
        known = (await session.exec(_PERSON, params=asked)).first()
    if known is not None:
        _remember(session, key, known)
    return known


def _remember(session: AsyncSession, key: tuple[object, ...], row: Workspace | Person) -> None:
    # The row itself is kept, not only its id: the identity map holds rows weakly, and a
    # person read for one event was gone again by the next one of the batch.
    session.info[key] = (row.id, row)


async def _remembered(
    session: AsyncSession, model: type[Row], key: tuple[object, ...]
) -> Row | None:
    """The row this session found earlier under `key`, from its identity map.

    Events handled together in one transaction (bot/contract/group_commit.py) mostly name the same
    workspace and often the same people. The caller checks the row still is the one it
    looks for (it may have changed) and otherwise reads it afresh.
    """
    kept = session.info.get(key)
    return None if kept is None else await session.get(model, kept[0])


async def ensure_person(
    session: AsyncSession, workspace: Workspace, actor: Actor, now: datetime
) -> Person:
    """The person behind `actor`. A new workspace's first admin is the first human seen, or,
    where the platform names its admins, the first of those seen while it has no admin."""
    assert workspace.id is not None
    person = await find_person(session, workspace, actor.id)
    if person is None:
        person = await claim_pending(session, workspace.id, actor.email, actor.id)
    if person is not None:
        shown = actor.name[:NAME_LENGTH]
        if shown and person.display_name != shown and may_write(person, "name", Source.PLATFORM):
            person.display_name = shown
        note_platform_language(person, actor.locale)
        return person
    roles = [Role.ADMIN.value] if await _first_admin(session, workspace, actor) else []
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
                "preferences": _platform_language(actor),
                "created_at": now,
            }
        ],
    )
    created = await find_person(session, workspace, actor.id)
    assert created is not None
    if inserted and roles:
        # Nobody granted this admin role, so the audit log names no actor.
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


def _platform_language(actor: Actor) -> dict[str, str]:
    language = shipped(actor.locale)
    return {PLATFORM: language} if language else {}


async def _first_admin(session: AsyncSession, workspace: Workspace, actor: Actor) -> bool:
    if actor.is_bot or actor.platform_admin is False:
        return False
    if actor.platform_admin:
        return not await has_admin(session, workspace.id)
    humans = (
        select(Person.id)
        .where(Person.workspace_id == workspace.id, col(Person.is_bot).is_(False))
        .limit(1)
    )
    return (await session.exec(humans)).first() is None


async def has_admin(session: AsyncSession, workspace_id: int | None) -> bool:
    people = await session.exec(select(Person.roles).where(Person.workspace_id == workspace_id))
    return any(Role.ADMIN.value in roles for roles in people.all())


async def workspace_admins(session: AsyncSession, workspace: Workspace) -> list[Person]:
    """The workspace's admins, who hear about scheduled work that went wrong."""
    found = await session.exec(select(Person).where(Person.workspace_id == workspace.id))
    return [p for p in found.all() if Role.ADMIN in p.roles and not p.is_bot]


async def workspaces_named(session: AsyncSession, external_id: str | None) -> list[Workspace]:
    """The workspaces a command-line `--workspace` names: with none named, every workspace,
    so that a server with only one needs no option. Callers want exactly one."""
    query = select(Workspace)
    if external_id:
        query = query.where(Workspace.external_id == external_id)
    return list((await session.exec(query)).all())


async def display_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    """Each person's shown name (their platform id when they have none), by person id."""
    if not ids:
        return {}
    found = await session.exec(select(Person).where(col(Person.id).in_(ids)))
    return {p.id: p.display_name or p.platform_user_id for p in found.all() if p.id is not None}

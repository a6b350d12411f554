"""SCIM Users and the people directory: a User is a Person, linked by a ScimUser row.

Reading a User renders the person; writing one writes the person's fields as the SCIM source
(bot/kit/directory.py). A User created for someone already in the workspace (same e-mail)
links to them rather than making a second record.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.directory import Source, by_email, pending_id, set_active, write
from bot.kit.people import NAME_LENGTH
from bot.kit.safety import neutralise
from bot.models import Person, Workspace
from handlers.people.i18n import _, ngettext
from handlers.people.scim.errors import ScimError
from handlers.people.scim.filters import get, values
from handlers.people.scim.schemas import ENTERPRISE, USER
from handlers.people.tables import ScimUser

USER_NAME_LENGTH = 320
TEXT_LENGTH = 200
EXTERNAL_ID_LENGTH = 255


@dataclass(frozen=True)
class UserInput:
    """`fields`: the directory fields the User sets (bot/kit/directory.py), `manager` as the
    manager's User id; a field it does not name is left as it is. `external_id` is None when
    not given (then kept), "" when cleared."""

    user_name: str
    external_id: str | None
    fields: dict[str, Any]


def render(person: Person, account: ScimUser, base: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [USER],
        "id": str(person.id),
        "userName": account.user_name,
        "active": person.active,
    }
    if account.external_id is not None:
        resource["externalId"] = account.external_id
    if person.email:
        resource["emails"] = [{"value": person.email}]
    enterprise: dict[str, Any] = {}
    if person.department:
        enterprise["department"] = person.department
    if person.manager_id is not None:
        enterprise["manager"] = {
            "value": str(person.manager_id),
            "$ref": f"{base}/Users/{person.manager_id}",
        }
    if enterprise:
        resource["schemas"].append(ENTERPRISE)
        resource[ENTERPRISE] = enterprise
    resource["meta"] = {
        "resourceType": "User",
        "created": account.created_at.isoformat(),
        "lastModified": account.updated_at.isoformat(),
        "location": f"{base}/Users/{person.id}",
    }
    return resource


def _one(body: dict[str, Any], path: str) -> Any:
    found = values(body, path)
    return found[0] if found else None


def _text(body: dict[str, Any], path: str, limit: int) -> str | None:
    value = _one(body, path)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ScimError(400, _("{path} must be a string").format(path=path), "invalidValue")
    if len(value) > limit:
        message = ngettext(
            "{path} is longer than {count} character",
            "{path} is longer than {count} characters",
            limit,
        )
        raise ScimError(400, message.format(path=path, count=limit), "invalidValue")
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ScimError(400, _("active must be true or false"), "invalidValue")


def _email(body: dict[str, Any], user_name: str) -> str | None:
    listed = get(body, "emails")
    if listed is not None and not isinstance(listed, list):
        raise ScimError(400, _("emails must be a list"), "invalidValue")
    entries = [entry for entry in listed or [] if isinstance(entry, dict)]
    primary = [entry for entry in entries if get(entry, "primary") is True]
    chosen = (primary or entries)[:1]
    address = get(chosen[0], "value") if chosen else None
    if address is None and "@" in user_name:
        address = user_name
    if address is not None and (not isinstance(address, str) or "@" not in address):
        raise ScimError(400, _("emails.value must be an e-mail address"), "invalidValue")
    return address.lower()[:USER_NAME_LENGTH] if address else None


def _manager(body: dict[str, Any]) -> str | None:
    manager = _one(body, f"{ENTERPRISE}:manager")
    if isinstance(manager, dict):
        manager = _one(manager, "value")
    if manager in (None, ""):
        return None
    return str(manager)


def read_user(body: Any, *, complete: bool = False) -> UserInput:
    """A User as the client sent it, checked; ScimError when it cannot be kept.

    Identity providers send the attributes they are told to map: one not sent is left as it
    is, so that a department that only Slack knows survives provisioning. `complete` (a
    PATCH, applied to the whole User) reads a missing attribute as removed.
    """
    if not isinstance(body, dict):
        raise ScimError(400, _("the body must be a JSON object"), "invalidSyntax")
    user_name = _text(body, "userName", USER_NAME_LENGTH)
    if user_name is None:
        raise ScimError(400, _("userName is required"), "invalidValue")
    fields: dict[str, Any] = {}
    given = " ".join(
        str(part) for part in (_one(body, "name.givenName"), _one(body, "name.familyName")) if part
    )
    shown = _text(body, "displayName", USER_NAME_LENGTH) or _one(body, "name.formatted") or given
    if shown:
        fields["name"] = " ".join(neutralise(str(shown)).split())[:NAME_LENGTH]
    found = {
        "email": _email(body, user_name),
        "department": _text(body, f"{ENTERPRISE}:department", TEXT_LENGTH),
        "manager": _manager(body),
    }
    for field, value in found.items():
        if value is not None or complete:
            fields[field] = value
    if fields.get("department"):
        fields["department"] = " ".join(neutralise(fields["department"]).split())
    active = _one(body, "active")
    if active is not None:
        fields["active"] = _flag(active)
    external_id = _text(body, "externalId", EXTERNAL_ID_LENGTH)
    return UserInput(user_name, external_id or ("" if complete else None), fields)


async def account_of(
    session: AsyncSession, workspace: Workspace, user_id: str
) -> tuple[Person, ScimUser]:
    found = None
    if user_id.isdigit():
        found = (
            await session.exec(
                select(Person, ScimUser)
                .join(ScimUser, col(ScimUser.person_id) == col(Person.id))
                .where(ScimUser.workspace_id == workspace.id, Person.id == int(user_id))
            )
        ).first()
    if found is None:
        raise ScimError(404, _("no User {id}").format(id=user_id))
    return found[0], found[1]


async def accounts(session: AsyncSession, workspace: Workspace) -> list[tuple[Person, ScimUser]]:
    found = await session.exec(
        select(Person, ScimUser)
        .join(ScimUser, col(ScimUser.person_id) == col(Person.id))
        .where(ScimUser.workspace_id == workspace.id)
        .order_by(col(Person.id))
    )
    return [(person, account) for person, account in found.all()]


async def _user_name_taken(
    session: AsyncSession, workspace: Workspace, user_name: str, but: int | None
) -> bool:
    found = await session.exec(
        select(ScimUser.id).where(
            ScimUser.workspace_id == workspace.id,
            func.lower(ScimUser.user_name) == user_name.lower(),
            col(ScimUser.id) != (but or 0),
        )
    )
    return found.first() is not None


async def _manager_id(
    session: AsyncSession, workspace: Workspace, person: Person, manager: str | None
) -> int | None:
    if manager is None:
        return None
    boss = await session.get(Person, int(manager)) if manager.isdigit() else None
    if boss is None or boss.workspace_id != workspace.id:
        message = _("manager {manager} is no User here").format(manager=manager)
        raise ScimError(400, message, "invalidValue")
    if boss.id == person.id:
        raise ScimError(400, _("a User cannot be their own manager"), "invalidValue")
    return boss.id


async def create(
    session: AsyncSession, workspace: Workspace, given: UserInput, now: datetime
) -> tuple[Person, ScimUser]:
    assert workspace.id is not None
    if await _user_name_taken(session, workspace, given.user_name, None):
        raise ScimError(409, _taken(given.user_name), "uniqueness")
    email = given.fields.get("email")
    person = await by_email(session, workspace.id, email) if email else None
    if person is not None:
        linked = await session.exec(select(ScimUser.id).where(ScimUser.person_id == person.id))
        if linked.first() is not None:
            message = _("{email} belongs to another User").format(email=email)
            raise ScimError(409, message, "uniqueness")
    else:
        person = Person(
            workspace_id=workspace.id,
            platform_user_id=pending_id(email or given.user_name),
            display_name=given.user_name.split("@")[0][:NAME_LENGTH],
            timezone=workspace.timezone,
            created_at=now,
        )
        session.add(person)
        await session.flush()
    account = ScimUser(
        workspace_id=workspace.id,
        person_id=person.id or 0,
        user_name=given.user_name,
        created_at=now,
        updated_at=now,
    )
    await save(session, workspace, person, account, given, now)
    return person, account


async def save(
    session: AsyncSession,
    workspace: Workspace,
    person: Person,
    account: ScimUser,
    given: UserInput,
    now: datetime,
) -> None:
    """Replace what SCIM says of this person with `given` (a PUT, or a PATCH applied)."""
    if await _user_name_taken(session, workspace, given.user_name, account.id):
        raise ScimError(409, _taken(given.user_name), "uniqueness")
    email = given.fields.get("email")
    owner = await by_email(session, workspace.id or 0, email) if email else None
    if owner is not None and owner.id != person.id:
        message = _("{email} is another person's e-mail").format(email=email)
        raise ScimError(409, message, "uniqueness")
    account.user_name = given.user_name
    if given.external_id is not None:
        account.external_id = given.external_id or None
    account.updated_at = now
    for field, value in given.fields.items():
        if field == "manager":
            value = await _manager_id(session, workspace, person, value)
        if field == "active":
            set_active(person, value, Source.SCIM, now.date())
        else:
            write(person, field, value, Source.SCIM)
    session.add_all([person, account])
    await session.flush()


async def deactivate(
    session: AsyncSession, person: Person, account: ScimUser, now: datetime
) -> None:
    set_active(person, False, Source.SCIM, now.date())
    session.add(person)
    await session.delete(account)
    await session.flush()


def _taken(user_name: str) -> str:
    return _("userName {user_name} is taken").format(user_name=user_name)

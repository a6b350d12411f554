"""HR data from a CSV file: every row checked first, then all written in one transaction.

A row names a person by e-mail or platform user id (`user`). Someone named by an e-mail whom
no platform has shown yet gets a record under a pending id, claimed when their account
appears. An empty cell leaves that field as it is. The file's values are written as the HR
source (bot/kit/directory.py): platform profiles and chat no longer change them.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.audit import record
from bot.kit.directory import Source, pending_id, write
from bot.kit.people import NAME_LENGTH, valid_timezone
from bot.kit.safety import neutralise
from bot.models import Person, Workspace
from handlers.people.i18n import _, ngettext

COLUMNS = (
    "user",
    "email",
    "name",
    "department",
    "manager",
    "location",
    "timezone",
    "start_date",
    "language",
)
# Checked so that a wrong file is caught, but not stored: no feature uses them yet.
CHECKED_ONLY = ("start_date", "language")
TEXT_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class ImportFailed(Exception):
    """The file had bad rows; nothing was imported. `errors` names each line and why."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class BadRow(Exception):
    pass


@dataclass
class Row:
    line: int
    key: str
    person: Person | None
    email: str | None
    values: dict[str, str] = field(default_factory=dict)
    manager_key: str = ""


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int
    unchanged: int


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text))


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """The rows with the line each starts on (a quoted cell may span lines)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in COLUMNS]
    if "user" not in header or unknown or len(set(header)) != len(header):
        # Translators: {columns} and {unknown} are the file's column names, kept as they are.
        problem = _(
            "the header must name a `user` column (e-mail or platform user id) and may name "
            "{columns}, each once; unknown: {unknown}"
        ).format(columns=", ".join(COLUMNS[1:]), unknown=", ".join(unknown) or "—")
        raise ImportFailed([_at_line(1, problem)])
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    for raw in reader:
        if None in raw:
            rows.append((start, {"": "extra"}))
        else:
            rows.append((start, {k: (v or "").strip() for k, v in raw.items()}))
        start = reader.line_num + 1
    return rows


def checked_values(cells: dict[str, str]) -> dict[str, str]:
    """The row's directory values, each checked; BadRow says what is wrong."""
    if "" in cells:
        raise BadRow(_("more cells than the header has columns"))
    values: dict[str, str] = {}
    for name in ("name", "department", "location"):
        text = " ".join(neutralise(cells.get(name, "")).split())
        longest = NAME_LENGTH if name == "name" else TEXT_LENGTH
        if len(text) > longest:
            # Translators: {column} is the file's column name (name, department, location).
            message = ngettext(
                "{column} is longer than {count} character",
                "{column} is longer than {count} characters",
                longest,
            )
            raise BadRow(message.format(column=name, count=longest))
        if text:
            values[name] = text
    email = cells.get("email", "")
    if email:
        if not is_email(email):
            raise BadRow(_("email {value} is not an e-mail address").format(value=repr(email)))
        values["email"] = email.lower()
    zone = cells.get("timezone", "")
    if zone:
        if valid_timezone(zone, "") != zone:
            message = _("timezone {value} is not a time zone name such as Europe/Paris")
            raise BadRow(message.format(value=repr(zone)))
        values["timezone"] = zone
    start = cells.get("start_date", "")
    if start:
        try:
            date.fromisoformat(start)
        except ValueError:
            message = _("start_date {value} is not a date such as 2027-03-01")
            raise BadRow(message.format(value=repr(start))) from None
    language = cells.get("language", "")
    if language and not _LANGUAGE.match(language):
        message = _("language {value} is not a language tag such as en or pt-BR")
        raise BadRow(message.format(value=repr(language)))
    return values


async def _directory(session: AsyncSession, workspace: Workspace) -> dict[str, Person]:
    people = await session.exec(select(Person).where(Person.workspace_id == workspace.id))
    by_key: dict[str, Person] = {}
    for known in people.all():
        by_key.setdefault(known.platform_user_id.lower(), known)
        if known.email:
            by_key.setdefault(known.email.lower(), known)
    return by_key


def _row(
    line: int, cells: dict[str, str], by_key: dict[str, Person], in_file: dict[str, int]
) -> Row:
    key = cells.get("user", "").lower()
    if not key:
        raise BadRow(_("user is empty: give an e-mail or a platform user id"))
    values = checked_values(cells)
    person = by_key.get(key)
    if person is None and not is_email(key):
        message = _(
            "no one in this workspace has the user id {value} "
            "(name someone not seen yet by their e-mail)"
        )
        raise BadRow(message.format(value=repr(key)))
    email = values.get("email") or (key if is_email(key) else None)
    owner = by_key.get(email) if email is not None else None
    if person is not None and owner is not None and owner is not person:
        raise BadRow(_("{email} is someone else's e-mail in this workspace").format(email=email))
    manager = cells.get("manager", "").lower()
    if manager and manager not in in_file and manager not in by_key:
        message = _("manager {value} is no one in this file or workspace")
        raise BadRow(message.format(value=repr(manager)))
    if manager and (in_file.get(manager) == line or (person and by_key.get(manager) is person)):
        raise BadRow(_("{user} cannot be their own manager").format(user=key))
    return Row(line, key, person, email, values, manager)


def _at_line(line: int, problem: str) -> str:
    # Translators: what is wrong with a line of the file, e.g. "line 3: user is empty: …".
    return _("line {line}: {problem}").format(line=line, problem=problem)


def _loops(people: list[Person]) -> list[str]:
    managers = {p.id: p.manager_id for p in people}
    names = {p.id: p.email or p.platform_user_id for p in people}
    found: list[str] = []
    for start in managers:
        seen = [start]
        current = managers.get(start)
        while current is not None and current not in seen:
            seen.append(current)
            current = managers.get(current)
        if current == start:
            found.append(" → ".join(str(names[i]) for i in [*seen, start]))
    return found[:1]


def validate(rows: list[tuple[int, dict[str, str]]], by_key: dict[str, Person]) -> list[Row]:
    checked: list[Row] = []
    errors: list[str] = []
    seen: dict[object, int] = {}
    in_file: dict[str, int] = {}
    for line, cells in reversed(rows):
        for name in ("user", "email"):
            if cells.get(name):
                in_file[cells[name].lower()] = line
    for line, cells in rows:
        key = cells.get("user", "").lower()
        known = by_key.get(key)
        identity: object = known.id if known is not None else key
        if key and identity in seen:
            message = _("{user} is already on line {line}").format(user=key, line=seen[identity])
            errors.append(_at_line(line, message))
            continue
        seen[identity] = line
        try:
            checked.append(_row(line, cells, by_key, in_file))
        except BadRow as bad:
            errors.append(_at_line(line, str(bad)))
    if errors:
        raise ImportFailed(errors)
    return checked


async def import_people(
    session: AsyncSession, workspace: Workspace, text: str, now: datetime
) -> Imported:
    """Check every row, then write them all; ImportFailed (and nothing written) otherwise."""
    assert workspace.id is not None
    by_key = await _directory(session, workspace)
    rows = validate(read_rows(text), by_key)
    created = _add_pending(rows, workspace, by_key, now)
    people = [row.person for row in rows if row.person is not None]
    before = {id(person): _snapshot(person) for person in people}
    for row in rows:
        assert row.person is not None
        for name, value in row.values.items():
            write(row.person, name, value, Source.HR)
        session.add(row.person)
    await session.flush()
    for row in rows:
        if row.manager_key and row.person is not None:
            write(row.person, "manager", by_key[row.manager_key].id, Source.HR)
    loops = _loops(list({id(p): p for p in by_key.values()}.values()))
    if loops:
        raise ImportFailed([_("managers go round in a loop: {loop}").format(loop=loops[0])])
    await session.flush()
    changed = sum(1 for person in people if before[id(person)] != _snapshot(person))
    result = Imported(created, changed - created, len(rows) - changed)
    await record(
        session,
        workspace.id,
        None,
        "people.import",
        now,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return result


def _add_pending(
    rows: list[Row], workspace: Workspace, by_key: dict[str, Person], now: datetime
) -> int:
    """A record, waiting for its platform account, for each row naming someone new by
    e-mail; how many. Every row's keys then find its person (managers are named by them)."""
    created = 0
    for row in rows:
        if row.person is None:
            assert row.email is not None and workspace.id is not None
            row.person = Person(
                workspace_id=workspace.id,
                platform_user_id=pending_id(row.email),
                display_name=row.email.split("@")[0][:NAME_LENGTH],
                timezone=workspace.timezone,
                created_at=now,
            )
            write(row.person, "email", row.email, Source.HR)
            created += 1
        by_key[row.key] = row.person
        if row.email:
            by_key[row.email] = row.person
    return created


_ATTRIBUTES = ("display_name", "email", "timezone", "department", "manager_id", "location")


def _snapshot(person: Person) -> tuple[object, ...]:
    # The id too: a new record has none until it is written.
    return tuple(getattr(person, attribute) for attribute in ("id", *_ATTRIBUTES))

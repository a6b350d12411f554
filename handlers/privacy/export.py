"""Everything the bot holds about one person, as data for a JSON file and a readable summary.

Every table with a foreign key to person.id is read generically, so a table added later is
exported without touching this file; each feature's PersonalData (bot/kit/personal_data.py)
labels its tables and adds what no foreign key reaches (coffee groups, attributed answers).
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.i18n import format_list, format_number
from bot.kit.personal_data import PersonalData, Rows
from bot.kit.roles import role_name
from bot.models import Person
from handlers.privacy.i18n import _
from handlers.privacy.references import person_columns, plain, tables

# The export file's note, in the one language of its keys; the summary says it in the reader's.
ANONYMOUS_NOTE = (
    "Answers to anonymous pulse surveys are stored "  # not translated: the export file's note
    "with no link to anyone, not even in our database, so nobody (you included) can find "
    "which ones are yours: they are not included."
)

# The core's own tables; each feature labels its own (its PersonalData).
LABELS = {
    ("interaction", "source_id"): "interactions you started",  # not translated: an export key
    ("interaction", "target_id"): "interactions with you",  # not translated: an export key
    ("audit_entry", "actor_id"): "audit log entries of your actions",  # not translated: a key
    ("audit_entry", "subject_id"): "audit log entries about you",  # not translated: a key
}

# Their reports: not theirs to read.
NOT_THEIRS = {("person", "manager_id")}
SECRET_COLUMNS = {"token_hash"}


@dataclass
class Export:
    data: dict[str, Any]
    summary: str

    def json_bytes(self) -> bytes:
        return json.dumps(self.data, indent=2, ensure_ascii=False).encode()


async def collect(
    session: AsyncSession, person: Person, now: datetime, contributions: Sequence[PersonalData]
) -> Export:
    """Everything held about `person`, each feature's `contributions` included."""
    assert person.id is not None
    names = await _names(session, person.workspace_id)
    titles = {
        f"{given.titled}_id": await given.titles(session, person.workspace_id)
        for given in contributions
        if given.titles is not None
    }
    labels = LABELS | {k: v for given in contributions for k, v in given.labels.items()}
    skipped = NOT_THEIRS.union(*(given.not_exported for given in contributions))
    sections: dict[str, Rows] = {}
    connection = await session.connection()
    for table in tables():
        for column in person_columns(table):
            key = (table.name, column.name)
            if key in skipped:
                continue
            found = await connection.execute(table.select().where(column == person.id))
            rows = [_row(table, dict(r), names, titles, column.name) for r in found.mappings()]
            if rows:
                sections[labels.get(key, f"{table.name} ({column.name})")] = rows
    for given in contributions:
        if given.sections is not None:
            sections.update(await given.sections(session, person, names))
    data = {
        "exported_at": now.isoformat(),
        "profile": _profile(person, names),
        "anonymous_survey_answers": ANONYMOUS_NOTE,
        "data": sections,
    }
    return Export(data, _summary(person, sections))


def _profile(person: Person, names: dict[int, str]) -> dict[str, Any]:
    profile = {c: plain(getattr(person, c)) for c in Person.model_fields}
    profile["manager_name"] = names.get(person.manager_id or 0)
    return profile


def _row(
    table: Table,
    row: dict[str, Any],
    names: dict[int, str],
    titles: Mapping[str, Mapping[int, str]],
    own: str,
) -> dict[str, Any]:
    """One row as the person whose id is in column `own` may see it: an anonymous row (a
    question asked anonymously, found by the expert who claimed it) names nobody else. A
    column pointing at a titled row (`idea_id`) gets its title beside it (`idea_title`)."""
    shown = {k: plain(v) for k, v in row.items() if k not in SECRET_COLUMNS}
    for column in person_columns(table):
        if row.get(column.name) is None:
            continue
        if row.get("anonymous") and column.name != own:
            shown[column.name] = None
            continue
        shown[f"{column.name.removesuffix('_id')}_name"] = names.get(row[column.name])
    for key, by_id in titles.items():
        titled = key.removesuffix("_id")
        if table.name != titled and row.get(key) in by_id:
            shown[f"{titled}_title"] = by_id[row[key]]
    return shown


async def _names(session: AsyncSession, workspace_id: int) -> dict[int, str]:
    found = await session.exec(
        select(Person.id, Person.display_name).where(Person.workspace_id == workspace_id)
    )
    return {person_id: name for person_id, name in found.all() if person_id is not None}


def _summary(person: Person, sections: dict[str, list[dict[str, Any]]]) -> str:
    roles = [role_name(role) for role in person.roles] or [role_name("member")]
    lines = [
        _(
            "What Rapport holds about {name}: your profile (time zone {zone}, department "
            "{department}, roles {roles}) and:"
        ).format(
            name=person.display_name,
            zone=person.timezone,
            department=person.department or _("none"),
            roles=format_list(roles),
        )
    ]
    # The labels are the keys of the attached file, which stays the same in every language.
    lines += [f"• {label}: {format_number(len(rows))}" for label, rows in sections.items()]
    if not sections:
        lines.append(_("• nothing else yet"))
    lines.append(
        _(
            "Answers to anonymous pulse surveys are stored with no link to anyone, not even in "
            "our database, so nobody (you included) can find which ones are yours: they are not "
            "included."
        )
    )
    lines.append(_("Everything is in the attached JSON file. `/rapport forget-me` erases it."))
    return "\n".join(lines)

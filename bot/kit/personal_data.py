"""What a feature adds to a person's export and erasure (`/rapport my-data`, `forget-me`).

Both read every table with a foreign key to person.id on their own (handlers/privacy), so a
feature whose rows only point at people contributes nothing. It contributes where its rows
need words a generic reader cannot know: a label for the export, which rows belong to the
person alone, which words on kept rows are theirs, and hooks for what no foreign key shows
(people listed in JSON, answers tied to a person by a separate table, matches to end).
"""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.erasure_notice import Notice
from bot.models import Person

# What their words become where the rows stay.
REMOVED = "(removed)"

# (table name, column name): a foreign key to person.id.
Reference = tuple[str, str]
Rows = list[dict[str, Any]]


# Extra export sections by label, given the session, the person and everyone's names by id.
Sections = Callable[[AsyncSession, Person, Mapping[int, str]], Awaitable[dict[str, Rows]]]
# Names of rows by id, for the rows of other tables that point at them (an idea's title).
Titles = Callable[[AsyncSession, int], Awaitable[dict[int, str]]]
# Before erasure: end what must not go on without the person; whom to tell.
Ending = Callable[[AsyncSession, int, datetime], Awaitable[list[Notice]]]
# Before erasure: words of theirs on rows no foreign key ties to them, read and removed there.
Words = Callable[[AsyncSession, int], Awaitable[list[str]]]
# After kept rows point at the stand-in: the same for person ids kept outside foreign keys.
Repoint = Callable[[AsyncSession, int, int], Awaitable[None]]


@dataclass(frozen=True)
class PersonalData:
    # Export: what a reference's rows are called ("kudos given"); unlabelled ones show as
    # "table (column)".
    labels: Mapping[Reference, str] = field(default_factory=dict)
    # Export: references left out, as someone else's (a wish not to be paired with them) or
    # exported joined by `sections`.
    not_exported: frozenset[Reference] = frozenset()
    sections: Sections | None = None
    # Export: `titles` names the rows of other tables whose `<titled>_id` points here.
    titled: str = ""
    titles: Titles | None = None
    # Erasure: tables whose rows exist only for the person, deleted with them.
    personal_tables: frozenset[str] = frozenset()
    # Erasure: on kept rows, the columns that hold their words, and what they become.
    their_words: Mapping[Reference, Mapping[str, Any]] = field(default_factory=dict)
    words: Words | None = None
    ending: Ending | None = None
    repoint: Repoint | None = None

"""Where a person can appear, read from SQLModel.metadata so that new tables are covered too.

A person is referenced by id (a foreign key to person.id) or by what identifies them in text:
their platform user id (mentions, destinations), display name and e-mail.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

from bot.models import Person


@dataclass(frozen=True)
class Identifiers:
    """What names a person in free text and JSON."""

    platform_user_id: str
    display_name: str
    email: str | None

    @classmethod
    def of(cls, person: Person) -> "Identifiers":
        return cls(person.platform_user_id, person.display_name, person.email)

    def words(self) -> list[str]:
        found = [self.platform_user_id, self.display_name, self.email or ""]
        return sorted({word for word in found if word}, key=len, reverse=True)

    def pattern(self) -> re.Pattern[str]:
        """Mentions (`<@id>`, `@id`) and the bare words, never inside a longer word. The name
        matches only as written: a name is a proper noun, and "Will" or "May" must not take
        "will" and "may" out of everyone else's words."""
        words = [
            f"(?-i:{re.escape(w)})" if w == self.display_name else re.escape(w)
            for w in self.words()
        ]
        mention = re.escape(self.platform_user_id)
        return re.compile(
            rf"<@{mention}>|@?(?<![\w.@-])(?:{'|'.join(words)})(?![\w-])", re.IGNORECASE
        )


MINIMUM_PHRASE = 6


@dataclass(frozen=True)
class Phrases:
    """Texts a person wrote, to be taken out of every stored copy of them. Only whole texts
    of a useful length: a short one ("ok") would take the same word out of everyone's text."""

    texts: tuple[str, ...]

    @classmethod
    def of(cls, texts: list[str]) -> "Phrases":
        kept = {text.strip() for text in texts if len(text.strip()) >= MINIMUM_PHRASE}
        return cls(tuple(sorted(kept, key=len, reverse=True)))

    def needles(self) -> list[str]:
        """What to look for in stored text: each text as written and as JSON writes it (JSON
        columns keep non-ASCII letters and quotes escaped)."""
        escaped = [json.dumps(text)[1:-1] for text in self.texts]
        return sorted({*self.texts, *escaped})

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(re.escape(text) for text in self.texts))

    def remove(self, value: Any, replacement: str) -> Any:
        """`value` with every one of the texts in its strings replaced."""
        if not self.texts:
            return value
        return rewrite(value, self.pattern, replacement)


def tables() -> Iterator[Table]:
    yield from SQLModel.metadata.sorted_tables


def table_named(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def person_columns(table: Table) -> list[Column[Any]]:
    """The columns of `table` that are foreign keys to person.id."""
    return [
        column
        for column in table.columns
        if any(
            fk.column.table.name == "person" and fk.column.name == "id"
            for fk in column.foreign_keys
        )
    ]


def text_columns(table: Table) -> list[Column[Any]]:
    """Columns that can hold free text or JSON (where names and mentions end up)."""
    return [c for c in table.columns if is_text(c)]


def is_text(column: Column[Any]) -> bool:
    kind = column.type
    # SQLModel's str columns are AutoString, a decorator around String.
    stored = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
    return isinstance(stored, String | Text | JSON)


def referenced_tables() -> set[str]:
    """Tables some other row points at: their rows cannot simply be deleted."""
    return {fk.column.table.name for table in tables() for fk in table.foreign_keys}


def plain(value: Any) -> Any:
    """A column value as JSON can carry it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def strings_in(value: Any) -> Iterator[str]:
    """Every string inside a JSON-ish value (dict keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def rewrite(value: Any, pattern: re.Pattern[str], replacement: str) -> Any:
    """`value` with every match of `pattern` in its strings replaced."""
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {
            pattern.sub(replacement, str(k)): rewrite(v, pattern, replacement)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [rewrite(item, pattern, replacement) for item in value]
    return value

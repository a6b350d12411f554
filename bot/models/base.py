"""Shared table plumbing: constraint naming convention, UTC timestamps, JSON columns."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """timestamptz on PostgreSQL, text on SQLite; always an aware UTC datetime in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous: store aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_field(*, nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_type=UTCDateTime,
        nullable=nullable,
        index=index,
    )


def json_field(default_factory: Any = dict) -> Any:
    return Field(default_factory=default_factory, sa_type=JSON)


def status_field(default: str, length: int, *, index: bool = False) -> Any:
    """A status column (or another of a closed set of values: how a kudos was given) typed by
    a Literal of its values, so that mypy catches a misspelt one.

    Stored as plain VARCHAR (not a database enum): adding a value is a code change, not a
    migration that locks the table.
    """
    return Field(default=default, sa_type=String(length), index=index)


__all__ = ["SQLModel", "UTCDateTime", "datetime", "json_field", "status_field", "utc_field"]

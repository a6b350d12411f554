"""What a log line is about (platform, workspace, event_kind, message_key): known where the
work starts, and written by the JSON log format on every line logged inside that work."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

_ABOUT: ContextVar[Mapping[str, str]] = ContextVar(
    "rapport_log_about", default=MappingProxyType({})
)


@contextmanager
def about(**fields: str) -> Iterator[None]:
    """Lines logged inside (in this task and those it starts) carry `fields`; empty ones are
    left out."""
    token = _ABOUT.set({**_ABOUT.get(), **{name: value for name, value in fields.items() if value}})
    try:
        yield
    finally:
        _ABOUT.reset(token)


def current() -> Mapping[str, str]:
    return _ABOUT.get()

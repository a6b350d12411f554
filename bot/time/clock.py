"""Time as a dependency: the real clock in production, a virtual one in tests and the shell."""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class RealClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """A clock that only moves when told to, so schedules can be tested to the second."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2027, 1, 4, 9, 0, tzinfo=UTC)).astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("VirtualClock needs an aware datetime")
        if when < self._now:
            raise ValueError("time does not run backwards")
        self._now = when.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.set(self._now + delta)

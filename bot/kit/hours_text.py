"""Hours and days as people type them, read the same way by every feature.

`9-17`, `09:00-17:00`, `0830-1630`, `8.30 to 16.30`, `9h30-17h30`, for working hours followed by
days (`mon-fri`, `mon,wed,fri`, `sun-thu`). Personal settings, `/expert hours` and
`/pulse hours` all set the same working hours, so one text must mean the same hours in each.
What is wrong with a text is said in the reader's language (the ValueError's message), for
the command to show as it is. The day names are typed in English in every language.
"""

import re
from datetime import time

from bot.kit.core_catalog import _
from bot.kit.preferences import WEEKDAYS

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = r"\d{1,2}(?:[:.h]?\d{2})?h?"
_RANGE = re.compile(rf"^\s*({_CLOCK})\s*(?:-|–|to)\s*({_CLOCK})\s*(.*)$", re.IGNORECASE)


def clock(text: str) -> time:
    """`9`, `09:30`, `0930`, `9.30`, `9h30`: a time of day; `24` is the day's last minute."""
    digits = re.sub(r"\D", "", text)
    hour, minute = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    if (hour, minute) == (24, 0):
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise ValueError(_("{text} is not a time of day").format(text=text))
    return time(hour, minute)


def hour_range(text: str) -> tuple[time, time, str]:
    """The two times of `09:00-17:00 ...`, and what follows them; ValueError if no range."""
    found = _RANGE.match(text)
    if found is None:
        raise ValueError(_not_a_range(text))
    return clock(found[1]), clock(found[2]), found[3]


def just_hours(text: str) -> tuple[time, time]:
    """`22:00-07:00`: two times and nothing after them (a range may run past midnight)."""
    start, end, rest = hour_range(text)
    if rest.strip():
        raise ValueError(_not_a_range(text))
    return start, end


def _not_a_range(text: str) -> str:
    return _("'{text}' is not a range like 09:00-17:00").format(text=text.strip())


def days(text: str) -> tuple[int, ...]:
    """`mon-fri`, `mon,wed,fri`, `sun-thu`; blank means Monday to Friday."""
    text = text.strip().lower()
    if not text:
        return WEEKDAYS
    found: set[int] = set()
    for part in re.split(r"[,\s]+", text):
        first, _sep, last = part.partition("-")
        if first[:3] not in DAY_NAMES or (last and last[:3] not in DAY_NAMES):
            raise ValueError(
                _("'{text}' is not a day or days like mon-fri or mon,wed,fri").format(text=part)
            )
        start = DAY_NAMES.index(first[:3])
        stop = DAY_NAMES.index(last[:3]) if last else start
        found.update((start + step) % 7 for step in range((stop - start) % 7 + 1))
    return tuple(sorted(found))


def working_hours(text: str) -> tuple[time, time, tuple[int, ...]]:
    """`09:00-17:00 mon-thu`: working hours, and days (Monday to Friday unless given)."""
    if _RANGE.match(text) is None:
        raise ValueError(
            _("'{text}' is not working hours like 09:00-17:00 mon-fri").format(text=text.strip())
        )
    start, end, rest = hour_range(text)
    if start >= end:
        raise ValueError(_("Working hours must start before they end, like 09:00-17:00"))
    return start, end, days(rest)

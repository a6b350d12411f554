"""Plain English for the numbers people read ("1 question", "2 questions"), and short lines
for lists."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.kit.safety import neutralise, truncate


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and the noun in the form that fits it; `plural` when it isn't noun + "s"."""
    word = noun if number == 1 else plural or f"{noun}s"
    return f"{number:,} {word}"


def list_line(text: str, limit: int = 140) -> str:
    """User text as one short line of a list: whitespace folded, markup neutralised, cut."""
    return truncate(neutralise(" ".join(text.split())), limit)


def day_month(moment: datetime, timezone: str) -> str:
    """`05 Jan` in the person's time zone."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d %b")

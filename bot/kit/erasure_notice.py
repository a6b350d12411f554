"""What a feature tells the people whose plans with an erased person ended.

The words go out after the erasure, so they must not name the person erased.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    person_id: int
    # Or a function that writes it, called in the reader's language (as ctx.dm does).
    text: str | Callable[[], str]

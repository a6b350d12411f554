"""What a feature tells the people whose plans with an erased person ended.

The words go out after the erasure, so they must not name the person erased. Given as a
function, they are written in the reader's language when sent (bot.contract.context.Words).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    person_id: int
    text: str | Callable[[], str]

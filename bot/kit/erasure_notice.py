"""What a feature tells the people whose plans with an erased person ended.

The words go out after the erasure, so they must not name the person erased.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    person_id: int
    text: str

"""What a feature adds to the weekly digest (`Feature.digest`): one `DigestPart` a week.

The digest feature asks every feature for its part of the week and of the week before, and
does the rest itself: the change of each figure against last week and the flag on a large
one, which spotlights go public, and who gets the private lines. So the digest imports no
feature, and a feature says what it knows without knowing how the digest is laid out.

Everything a part holds outside `private` and `to_act_on` may be posted in a channel: the
feature applies its own anonymity thresholds before a number or a name gets here.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Week:
    """The seven days a digest covers, `end` excluded."""

    start: datetime
    end: datetime

    @classmethod
    def before(cls, end: datetime) -> "Week":
        return cls(end - timedelta(weeks=1), end)

    @property
    def previous(self) -> "Week":
        return Week.before(self.start)


class Measure(StrEnum):
    """What kind of number a figure is: it decides how a change is written and how large a
    change must be to be flagged (docs/features/digest.md gives the thresholds)."""

    COUNT = "count"
    PERCENT = "percent"
    ENPS = "enps"
    SCORE = "score"  # a mean on a 1-5 scale


@dataclass(frozen=True)
class Figure:
    """One number of the week, compared by the digest with the same `key` a week earlier."""

    key: str
    label: str
    value: float
    measure: Measure = Measure.COUNT
    # Whether more is good news: more questions waiting past their deadline is not.
    more_is_better: bool = True
    # Set by a feature whose figure compares with something other than last week's part (a
    # survey with its own previous run, whenever that closed); `since` says what.
    previous: float | None = None
    since: str = ""


@dataclass(frozen=True)
class Spotlight:
    """A public moment the digest may feature, about the people it names (by person id)."""

    people: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class DigestPart:
    """One feature's part of a week's digest. Texts are ready to show: user words in them are
    neutralised by the feature."""

    title: str
    # The channel lines, and the few words the summary sentence takes from this part.
    lines: tuple[str, ...] = ()
    summary: str = ""
    figures: tuple[Figure, ...] = ()
    # Candidates for the public highlights, most recent first; the digest picks a few.
    spotlights: tuple[Spotlight, ...] = ()
    # Pairs of people (by id) never to be featured together in public.
    not_together: tuple[frozenset[int], ...] = ()
    # For community managers only, by DM: people who may need a hand, and what waits on them
    # (with the ids their commands take).
    private: tuple[str, ...] = ()
    to_act_on: tuple[str, ...] = ()
    # The channel facts a summary writer may read (counts, titles already public).
    facts: dict[str, object] = field(default_factory=dict)
    # Where the part goes in the digest: lower first.
    order: int = 50

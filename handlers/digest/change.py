"""Each figure against last week, and when a change is large enough to flag.

The thresholds (docs/features/digest.md says why each):
- counts: at least 5 and at least half of last week's number; small counts jump about from
  week to week (1 to 3 is noise in a team of 25), a halving or doubling of 5 or more is not;
- percentages (participation, met-rates): 15 points;
- eNPS: 20 points, more than one person of a group at the anonymity threshold moving from
  passive to detractor;
- scale means (1-5): half a point.
"""

from dataclasses import dataclass

from bot.contract.digest import DigestPart, Figure, Measure
from handlers.digest.i18n import N_

COUNT_AT_LEAST = 5
COUNT_SHARE = 0.5
LARGE: dict[Measure, float] = {Measure.PERCENT: 15, Measure.ENPS: 20, Measure.SCORE: 0.5}
# Translators: what a figure is compared with, as in "+3 since last week".
LAST_WEEK = N_("last week")


@dataclass(frozen=True)
class Change:
    figure: Figure
    previous: float | None
    since: str

    @property
    def delta(self) -> float | None:
        return None if self.previous is None else self.figure.value - self.previous

    @property
    def large(self) -> bool:
        delta = self.delta
        if delta is None or self.previous is None:
            return False
        if self.figure.measure == Measure.COUNT:
            return abs(delta) >= COUNT_AT_LEAST and abs(delta) >= COUNT_SHARE * self.previous
        return abs(delta) >= LARGE[self.figure.measure]

    @property
    def worse(self) -> bool:
        delta = self.delta or 0
        return delta < 0 if self.figure.more_is_better else delta > 0


def changes(parts: list[DigestPart], before: list[DigestPart]) -> list[Change]:
    """Every figure of `parts`, with last week's value of the same key (or its own)."""
    earlier = {figure.key: figure.value for part in before for figure in part.figures}
    return [
        Change(figure, figure.previous, figure.since)
        if figure.since
        else Change(figure, earlier.get(figure.key), str(LAST_WEEK))
        for part in parts
        for figure in part.figures
    ]


def needs_last_week(part: DigestPart) -> bool:
    return any(not figure.since for figure in part.figures)

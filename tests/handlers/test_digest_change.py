"""When the digest flags a change: each threshold attacked from both sides."""

import pytest

from bot.contract.digest import DigestPart, Figure, Measure
from handlers.digest.change import changes


def flagged(measure: Measure, before: float, now: float) -> bool:
    [change] = changes(
        [DigestPart("now", figures=(Figure("f", "F", now, measure),))],
        [DigestPart("before", figures=(Figure("f", "F", before, measure),))],
    )
    return change.large


@pytest.mark.parametrize(
    ("measure", "before", "now", "large"),
    [
        (Measure.ENPS, 50, -7, True),
        (Measure.ENPS, 10, 29, False),
        (Measure.ENPS, 10, 30, True),
        (Measure.PERCENT, 60, 46, False),
        (Measure.PERCENT, 60, 45, True),
        (Measure.SCORE, 4.0, 3.6, False),
        (Measure.SCORE, 4.0, 3.5, True),
        (Measure.COUNT, 1, 3, False),  # tripled, but small
        (Measure.COUNT, 1, 6, True),
        (Measure.COUNT, 10, 15, True),  # five, and half of ten
        (Measure.COUNT, 20, 25, False),  # five, but a quarter of twenty
        (Measure.COUNT, 20, 10, True),
        (Measure.COUNT, 0, 4, False),
    ],
)
def test_a_change_is_flagged_from_its_threshold_on(
    measure: Measure, before: float, now: float, large: bool
) -> None:
    assert flagged(measure, before, now) is large


def test_a_figure_with_its_own_comparison_ignores_last_week() -> None:
    survey = Figure("s", "eNPS", -7, Measure.ENPS, previous=None, since="the last run")
    [change] = changes(
        [DigestPart("now", figures=(survey,))],
        [DigestPart("before", figures=(Figure("s", "eNPS", 50, Measure.ENPS),))],
    )
    assert (change.previous, change.since, change.large) == (None, "the last run", False)


def test_a_rise_of_what_should_fall_is_for_the_worse() -> None:
    late = Figure("late", "Late", 12, more_is_better=False)
    [change] = changes(
        [DigestPart("now", figures=(late,))],
        [DigestPart("b", figures=(Figure("late", "Late", 4),))],
    )
    assert change.large and change.worse

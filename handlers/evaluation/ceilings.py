"""How far any router of this kind could get on a dump: upper bounds that peek at the answers.

Neither is a router; both are measured to show where a goal lies against the evidence:

- the best single order: one order of people for every question, chosen knowing who answers
  the test questions (most often answerer first). It is the best any router can do that does
  not tell questions apart, and it ignores the workload cap.
- weights fitted on the test answers: the router's own features, weighted by learning to rank
  on the very questions it is then measured on. It is the best this ranking's features can do
  by any weighting, however the history is read.
"""

from collections import Counter

from handlers.evaluation.routing import (
    Period,
    Rank,
    Setup,
    Site,
    evaluate,
    fit_on,
    order_by_count,
    router,
)


def best_single_order(period: Period) -> Rank:
    order = order_by_count(Counter(target for _, target in period.tests))
    return lambda q: [p for p in order if p != q.owner]


def fitted_on_tests(site: Site, period: Period, half_life_days: float, online: bool) -> Rank:
    weights = fit_on(site, period, half_life_days, online)
    return router(site, period, Setup(half_life_days, weights, online=online))


def ceilings(site: Site, period: Period, half_life_days: float) -> dict[str, object]:
    tests = period.tests
    return {
        "best_single_order": evaluate(best_single_order(period), tests),
        "weights_fitted_on_test_answers": {
            "static": evaluate(fitted_on_tests(site, period, half_life_days, False), tests),
            "online": evaluate(fitted_on_tests(site, period, half_life_days, True), tests),
        },
    }

"""`rapport eval routing`: the replay's figures for a StackExchange dump, as one document.

The protocol's figures (the router built once at the cut), then `online` (the router and the
baselines rebuilt before each test question from everything posted before it, as the bot
learns in chat), then `chat_defaults` (the weights and half-life the bot uses unless
configured otherwise) and `ceilings` (handlers.evaluation.ceilings: how far any router of
this kind could get, measured by peeking at the answers).
"""

from pathlib import Path

from handlers.evaluation.ceilings import ceilings
from handlers.evaluation.routing import (
    HISTORY_SHARE,
    Period,
    Setup,
    Site,
    evaluate,
    known_topics,
    load_comments,
    load_posts,
    load_tags,
    most_active,
    router,
    router_with_workload,
    tag_overlap,
    tune,
)
from handlers.qa.expertise import WEIGHTS


def _figures(site: Site, period: Period, setup: Setup) -> dict[str, object]:
    return {
        "router": evaluate(router(site, period, setup), period.tests),
        "router_with_workload": evaluate(router_with_workload(site, period, setup), period.tests),
        "most_active": evaluate(most_active(site, period, setup.online), period.tests),
        "tag_overlap": evaluate(tag_overlap(site, period, setup.online), period.tests),
    }


def report(dump: Path, half_life_days: float) -> dict[str, object]:
    site = Site(known_topics(load_posts(dump), load_tags(dump)), load_comments(dump))
    cut = site.cut(HISTORY_SHARE)
    period = site.period(cut)
    tuned = tune(site, cut, half_life_days)
    setup = Setup(tuned.half_life_days, tuned.weights, tuned.max_share)
    chat = Setup(half_life_days, WEIGHTS)
    return {
        "dump": dump.name,
        "history_answers": sum(1 for a, _ in site.answers if a.at < cut),
        "test_questions": len(period.tests),
        "chosen_on_history": {
            "half_life_days": tuned.half_life_days,
            "workload_rule_share": tuned.max_share,
            "weights": tuned.weights,
        },
        **_figures(site, period, setup),
        "online": _figures(site, period, Setup(**{**setup.__dict__, "online": True})),
        "chat_defaults": {
            "router": evaluate(router(site, period, chat), period.tests),
            "router_with_workload": evaluate(
                router_with_workload(site, period, chat), period.tests
            ),
        },
        "ceilings": ceilings(site, period, tuned.half_life_days),
    }

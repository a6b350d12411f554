"""The process's counters and histograms, counted where things happen.

Only what is cheap to count on the hot path lives here (a counter or a histogram is a lock
and an addition). What a query answers, such as the outbox's depth, is read when Prometheus
scrapes (bot/observe/scrape.py), not kept up to date on every event.

One registry of our own rather than prometheus_client's global one: /metrics shows Rapport's
metrics alone, each named `rapport_...`, and tests that build many apps in one process never
register a metric twice.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from prometheus_client import CollectorRegistry, Counter, Histogram, Info, ProcessCollector

from bot.wiring.version import rapport_version

NAMESPACE = "rapport"
REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(namespace=NAMESPACE, registry=REGISTRY)

BUILD = Info("build", "The running version.", namespace=NAMESPACE, registry=REGISTRY)
BUILD.info({"version": rapport_version()})

EVENTS = Counter(
    "events",
    "Inbound events handled (dispatched to a feature), by platform and kind.",
    ["platform", "kind"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
EVENT_FAILURES = Counter(
    "event_failures",
    "Inbound events whose handling raised (left to the intake's retries), by platform and kind.",
    ["platform", "kind"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
# From 5 ms (a kudos on SQLite) to 30 s (a platform lookup that times out).
HANDLING = Histogram(
    "event_handling_seconds",
    "Time from dispatch to commit of an inbound event, by platform and kind.",
    ["platform", "kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    namespace=NAMESPACE,
    registry=REGISTRY,
)
INTAKE_STORED = Counter(
    "intake_stored",
    "Inbound deliveries stored before their acknowledgement, by platform and intake kind.",
    ["platform", "kind"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
INTAKE_DUPLICATES = Counter(
    "intake_duplicates",
    "Inbound deliveries already stored (platform retries), by platform.",
    ["platform"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
INTAKE_RETRIES = Counter(
    "intake_retries",
    "Stored inbound events whose work failed and was given back for a retry, by intake kind.",
    ["kind"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
OUTBOX_SENT = Counter(
    "outbox_sent",
    "Messages the platform accepted, by platform.",
    ["platform"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
OUTBOX_RETRIES = Counter(
    "outbox_retries",
    "Sends that failed for now and were scheduled again (429s included), by platform.",
    ["platform"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
OUTBOX_RATE_LIMITED = Counter(
    "outbox_rate_limited",
    "Sends the platform refused with a rate limit (HTTP 429 or its kind), by platform.",
    ["platform"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)
OUTBOX_FAILED = Counter(
    "outbox_failed",
    "Messages given up on (refused for good, or out of attempts), by platform.",
    ["platform"],
    namespace=NAMESPACE,
    registry=REGISTRY,
)


@cache
def _event_series(platform: str, kind: str) -> tuple[Counter, Counter, Histogram]:
    """The labelled series of one platform and kind, found once (few of each exist)."""
    return (
        EVENTS.labels(platform, kind),
        EVENT_FAILURES.labels(platform, kind),
        HANDLING.labels(platform, kind),
    )


@contextmanager
def handling(platform: str, kind: str) -> Iterator[None]:
    """Counts one inbound event and times its handling; a failure is counted as one."""
    handled, failed, duration = _event_series(platform, kind)
    started = time.perf_counter()
    try:
        yield
    except Exception:
        failed.inc()
        raise
    finally:
        duration.observe(time.perf_counter() - started)
    handled.inc()


def count_arrival(platform: str, kind: str, *, stored: bool) -> None:
    """One inbound delivery: stored for handling, or a platform's retry of one already stored."""
    if stored:
        INTAKE_STORED.labels(platform, kind).inc()
    else:
        INTAKE_DUPLICATES.labels(platform).inc()

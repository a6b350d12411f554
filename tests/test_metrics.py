"""GET /metrics: Prometheus text with the process's counters and the queues read at scrape
time, on SQLite and PostgreSQL, through the real web app and a real bot."""

import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import select

from adapters.local.platform import LocalPlatform
from bot.contract.platform import PermanentFailure, RateLimited
from bot.contract.ui import Destination, text_message
from bot.delivery.intake import Arrival
from bot.delivery.outbox import OutboxWriter
from bot.models import Workspace
from bot.time.clock import VirtualClock
from bot.time.scheduler import add_schedule
from bot.wiring.assembly import Assembly
from bot.wiring.version import rapport_version
from bot.wiring.web import make_web_app

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def http(rapport: Assembly) -> AsyncIterator[TestClient[Any, Any]]:
    app = make_web_app(rapport.bot, runtime=rapport.runtime)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client
    await rapport.close()


async def scrape(http: TestClient[Any, Any], **headers: str) -> Samples:
    response = await http.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    samples: Samples = {}
    for family in text_string_to_metric_families(await response.text()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def queue(rapport: Assembly, text: str) -> None:
    """One message committed to the outbox, as a handler would, due now."""
    async with rapport.db.session() as session:
        found = (await session.exec(select(Workspace))).first()
        assert found is not None
        writer = OutboxWriter(session, found, f"metrics-{text}", rapport.bot.clock.now())
        writer.add(Destination(kind="channel", channel="general"), text_message(text))


def local(rapport: Assembly) -> LocalPlatform:
    platform = rapport.bot.platforms["local"]
    assert isinstance(platform, LocalPlatform)
    return platform


async def test_every_name_is_rapport_and_the_process_is_there(
    http: TestClient[Any, Any],
) -> None:
    samples = await scrape(http)
    names = {name for name, _ in samples}
    assert all(name.startswith("rapport_") for name in names), sorted(names)
    assert value(samples, "rapport_process_resident_memory_bytes") > 0
    assert value(samples, "rapport_build_info", version=rapport_version()) == 1
    assert value(samples, "rapport_schedule_lag_seconds") == 0.0
    assert value(samples, "rapport_intake_waiting") == 0.0


async def test_a_handled_command_is_counted_and_timed(
    rapport: Assembly, http: TestClient[Any, Any]
) -> None:
    before = await scrape(http)
    await rapport.shell.execute("ann in #general: /kudos @bob thanks for the great demo")
    after = await scrape(http)
    labels = {"platform": "local", "kind": "command"}
    for name in ("rapport_events_total", "rapport_event_handling_seconds_count"):
        assert value(after, name, **labels) == value(before, name, **labels) + 1
    sent = value(after, "rapport_outbox_sent_total", platform="local")
    assert sent > value(before, "rapport_outbox_sent_total", platform="local")


async def test_a_429_a_retry_and_the_waiting_queue_show(
    rapport: Assembly, http: TestClient[Any, Any]
) -> None:
    before = await scrape(http)
    await queue(rapport, "patience")
    local(rapport).fail_next = [RateLimited(30)]
    await rapport.runtime.sender.drain()
    clock = rapport.bot.clock
    assert isinstance(clock, VirtualClock)
    clock.advance(timedelta(seconds=90))  # due 60 s ago, and nobody has sent it
    after = await scrape(http)
    for name in ("rapport_outbox_rate_limited_total", "rapport_outbox_retries_total"):
        assert value(after, name, platform="local") == value(before, name, platform="local") + 1
    assert value(after, "rapport_outbox_messages", platform="local", status="pending") == 1
    assert value(after, "rapport_outbox_oldest_due_seconds", platform="local") == 60.0


async def test_a_message_given_up_on_is_counted_and_stays_dead(
    rapport: Assembly, http: TestClient[Any, Any]
) -> None:
    before = await scrape(http)
    await queue(rapport, "refused")
    local(rapport).fail_next = [PermanentFailure("channel_not_found")]
    await rapport.runtime.sender.drain()
    after = await scrape(http)
    failed = "rapport_outbox_failed_total"
    assert value(after, failed, platform="local") == value(before, failed, platform="local") + 1
    assert value(after, "rapport_outbox_messages", platform="local", status="dead") == 1
    assert value(after, "rapport_outbox_oldest_due_seconds", platform="local") == 0.0


async def test_a_schedule_not_fired_on_time_shows_its_lag(
    rapport: Assembly, http: TestClient[Any, Any]
) -> None:
    clock = rapport.bot.clock
    assert isinstance(clock, VirtualClock)
    async with rapport.db.session() as session:
        found = (await session.exec(select(Workspace))).first()
        assert found is not None
        at = clock.now() + timedelta(minutes=1)
        await add_schedule(
            session, found, "digest", {"type": "date", "at": at.isoformat()}, now=clock.now()
        )
    clock.advance(timedelta(minutes=3))  # the trigger loop has not run meanwhile
    assert value(await scrape(http), "rapport_schedule_lag_seconds") == 120.0


async def test_stored_and_repeated_deliveries_and_the_backlog_show(
    rapport: Assembly, http: TestClient[Any, Any]
) -> None:
    before = await scrape(http)
    arrival = Arrival("local", "Ev-metrics", "metrics-test", {}, workspace="T1")
    held = await rapport.runtime.intake.store(arrival)
    assert held is not None
    assert await rapport.runtime.intake.store(arrival) is None  # the platform sent it again
    after = await scrape(http)
    stored = {"platform": "local", "kind": "metrics-test"}
    assert value(after, "rapport_intake_stored_total", **stored) == (
        value(before, "rapport_intake_stored_total", **stored) + 1
    )
    duplicates = "rapport_intake_duplicates_total"
    assert value(after, duplicates, platform="local") == (
        value(before, duplicates, platform="local") + 1
    )
    assert value(after, "rapport_intake_waiting") == 1


async def test_with_a_token_only_its_bearer_reads_the_metrics(
    rapport: Assembly, http: TestClient[Any, Any]
) -> None:
    rapport.bot.settings = rapport.bot.settings.model_copy(update={"metrics_token": "s3cret"})
    assert (await http.get("/metrics")).status == 401
    wrong = await http.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status == 401
    assert await scrape(http, Authorization="Bearer s3cret")


MONITORING = Path(__file__).parents[1] / "docs" / "operations" / "monitoring"


async def known_names(http: TestClient[Any, Any]) -> set[str]:
    """Every series name /metrics can show, counters not yet counted included."""
    response = await http.get("/metrics")
    names: set[str] = set()
    for family in text_string_to_metric_families(await response.text()):
        suffixes = ("", "_total", "_bucket", "_count", "_sum", "_created", "_info")
        names |= {family.name + suffix for suffix in suffixes}
        names |= {sample.name for sample in family.samples}
    return names


def referenced(text: str) -> set[str]:
    return set(re.findall(r"\brapport_[a-z_]+", text))


async def test_the_alert_rules_ask_only_for_metrics_that_exist(
    http: TestClient[Any, Any],
) -> None:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert {"RapportOutboxStuck", "RapportIntakeBacklog", "RapportRepeated429s"} <= {
        rule["alert"] for rule in alerts
    }
    for rule in alerts:
        assert rule["labels"]["severity"] in ("warning", "critical")
        assert rule["annotations"]["summary"]
    expressions = " ".join(rule["expr"] for rule in alerts)
    assert referenced(expressions) - await known_names(http) == set()


async def test_the_dashboard_asks_only_for_metrics_that_exist(
    http: TestClient[Any, Any],
) -> None:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    panels = dashboard["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    expressions = " ".join(t["expr"] for panel in panels for t in panel["targets"])
    assert len(referenced(expressions)) >= 10
    assert referenced(expressions) - await known_names(http) == set()

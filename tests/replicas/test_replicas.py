"""Two `rapport run` replicas on one PostgreSQL database, under faults.

A pulse survey fans out to RECIPIENTS people through the real scheduler, due work, outbox and
Slack adapter of both replicas; the fake Slack counts what each person received. One test
delivers the same signed Slack event to both replicas at once, one cuts every replica's
database connections with pg_terminate_backend mid-fan-out, and one kills the replica that
fires triggers with SIGKILL mid-fan-out.

The replicas start once for the module (starting a process that imports the whole bot takes
seconds on a busy machine); each test uses a workspace and people of its own, and starts a
replacement for any replica an earlier test killed.
"""

import asyncio
import json
import os
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.contract.app import delivery_digest
from tests.conftest import _require_postgres
from tests.replicas.cluster import (
    Cluster,
    cluster,
    pulse_to_everyone,
    slack_workspace,
    tables_ready,
    until,
)

RECIPIENTS = int(os.environ.get("REPLICA_TEST_RECIPIENTS", "300"))
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.replicas]


@pytest.fixture(scope="module")
def postgres() -> None:
    _require_postgres()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def started(
    postgres: None, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cluster]:
    async with cluster(tmp_path_factory.mktemp("replicas")) as world:
        world.start("r1")
        world.start("r2")
        yield world


@pytest_asyncio.fixture(loop_scope="module")
async def world(started: Cluster) -> Cluster:
    """Two live replicas, one of them owning the triggers."""
    live = [r for r in started.replicas if r.process.poll() is None]
    for number in range(len(started.replicas) + 1, len(started.replicas) + 3 - len(live)):
        live.append(started.start(f"r{number}"))
    await started.up(*live)
    await tables_ready(started)
    await started.one_owner()
    return started


async def posts_reach(world: Cluster, prefix: str, count: int) -> None:
    async def reached() -> bool:
        return sum(world.slack.per_channel(prefix).values()) >= count

    await until(reached, f"{count} posts")


def assert_exactly_once(world: Cluster, prefix: str, people: int) -> None:
    received = world.slack.per_channel(prefix)
    assert len(received) == people, f"{people - len(received)} people got nothing"
    twice = {channel: n for channel, n in received.items() if n != 1}
    assert not twice, f"people who got the survey more than once: {twice}"


async def test_the_same_event_at_both_replicas_is_handled_once(world: Cluster) -> None:
    first, second = [r for r in world.replicas if r.process.poll() is None]
    await slack_workspace(world, "T1", 1)
    body = json.dumps(
        {
            "token": "legacy",
            "team_id": "T1",
            "api_app_id": "A0RAPPORT",
            "type": "event_callback",
            "event_id": "Ev0REPLICAS1",
            "event_time": 1800000000,
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": "DUT100000",
                "user": "UT100000",
                "text": "help",
                "ts": "1800000000.000100",
            },
        }
    )

    async def deliver(url: str) -> int:
        async with world.http.post(
            url + "/slack/events", data=body.encode(), headers=world.signed(body)
        ) as response:
            return response.status

    statuses = await asyncio.gather(deliver(first.url), deliver(second.url))
    assert list(statuses) == [200, 200]
    await world.settled("DUT1", 1)
    await asyncio.sleep(1.0)  # room for a second answer to show, were there one
    assert world.slack.per_channel("DUT1") == {"DUT100000": 1}
    handled = await world.scalar(
        f"SELECT count(*) FROM processed_event WHERE event_id = '{delivery_digest('Ev0REPLICAS1')}'"
    )
    assert handled == 1


async def test_connections_cut_mid_fan_out(world: Cluster) -> None:
    workspace = await slack_workspace(world, "T2", RECIPIENTS)
    await pulse_to_everyone(world, workspace, RECIPIENTS)
    cut = 0
    for share in (3, 2):
        await posts_reach(world, "DUT2", RECIPIENTS // share)
        cut += await world.scalar(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE usename = current_user AND application_name LIKE 'rapport r%'"
        )
    assert cut >= 2, "no replica connection was cut"

    await world.settled("DUT2", RECIPIENTS)
    assert_exactly_once(world, "DUT2", RECIPIENTS)
    for replica in world.replicas:
        health = await world.health(replica)
        assert health is not None and health["http_status"] == 200, replica.output()
    await world.one_owner()


async def test_kill_the_trigger_owner_mid_fan_out(world: Cluster) -> None:
    owner = await world.one_owner()
    workspace = await slack_workspace(world, "T3", RECIPIENTS)
    await pulse_to_everyone(world, workspace, RECIPIENTS)
    await posts_reach(world, "DUT3", RECIPIENTS // 3)
    world.kill(owner)
    killed_at = sum(world.slack.per_channel("DUT3").values())

    # The survivor takes the trigger lock on its next tick, well within 30 s.
    survivor = await world.one_owner()
    assert survivor is not owner
    await world.settled("DUT3", RECIPIENTS)
    assert_exactly_once(world, "DUT3", RECIPIENTS)
    assert killed_at < RECIPIENTS, "the kill came after the fan-out had finished"

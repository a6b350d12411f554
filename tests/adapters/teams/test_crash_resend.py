"""Teams after a crash: only the sends in flight when `rapport run` died can reach anyone twice.

Teams takes no idempotency key, so a message whose outcome the bot never learnt is posted
again. The outbox marks each message sent as soon as Teams answers, so the only uncertain
ones are those whose answer had not come back: at most `OUTBOX_CONCURRENCY`. Here a real
`rapport run` fans out one DM to each of 40 people through the fake Bot Connector, which
stops answering after 12 posts; once every worker waits on an unanswered post the process is
killed with SIGKILL, and a new one finishes the run.
"""

import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from microsoft_agents.activity import Activity
from sqlmodel import col, func, select

from adapters.teams import references
from bot.contract.ui import Destination, Message
from bot.delivery.outbox import OutboxWriter
from bot.models import OutboxMessage, Workspace
from bot.store import migrate
from bot.store.db import Database, make_engine
from tests.adapters.teams import payloads as P
from tests.adapters.teams.fake_connector import FakeConnector
from tests.test_cli import clean_env, free_port, rapport
from tests.waiting import SAFETY, until, until_async

PEOPLE = 40
ANSWERED = 12
CONCURRENCY = 8


def person(index: int) -> tuple[dict[str, str], str]:
    """A Teams account and its personal chat with the bot."""
    return {"id": f"29:person-{index}", "name": f"Person {index}"}, f"a:chat-{index}"


async def fan_out(url: str, service_url: str) -> None:
    """A migrated database where 40 people have chatted with the bot, each owed one DM."""
    await migrate.upgrade(url)
    db = Database(make_engine(url))
    now = datetime.now(UTC)
    async with db.session() as session:
        workspace = Workspace(platform="teams", external_id=P.TENANT, created_at=now)
        session.add(workspace)
        await session.flush()
        outbox = OutboxWriter(session, workspace, "fan-out", now)
        for index in range(PEOPLE):
            account, chat = person(index)
            hello = Activity.model_validate(P.personal_message(service_url, account, chat, "hi"))
            await references.remember_activity(session, hello, now)
            outbox.add(Destination(kind="dm", user=account["id"]), Message(text=f"Hi {index}"))
    await db.dispose()


@pytest.fixture
def runs(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def start(url: str, where: Path, runs: list[subprocess.Popen[bytes]]) -> None:
    settings = clean_env(
        DATABASE_URL=url,
        HTTP_PORT=str(free_port()),
        CONNECTIONS__SERVICE_CONNECTION__SETTINGS__ANONYMOUS_ALLOWED="true",
        OUTBOX_CONCURRENCY=str(CONCURRENCY),
        # The killed process's claims are taken over a second after it made them.
        OUTBOX_LEASE_SECONDS="1",
    )
    log = (where / f"run-{len(runs)}.log").open("wb")
    runs.append(
        subprocess.Popen(
            rapport("run"), cwd=where, env=settings, stdin=subprocess.PIPE, stdout=log, stderr=log
        )
    )


async def unsent(db: Database) -> int:
    async with db.session() as session:
        waiting = col(OutboxMessage.status).in_(["pending", "sending"])
        return (
            await session.exec(select(func.count()).select_from(OutboxMessage).where(waiting))
        ).one()


async def test_a_kill_mid_fan_out_repeats_only_the_sends_in_flight(
    tmp_path: Path,
    connector: FakeConnector,
    runs: list[subprocess.Popen[bytes]],
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/run.db"
    await fan_out(url, connector.url)
    connector.hold_after = ANSWERED
    start(url, tmp_path, runs)
    await until(lambda: connector.held() == CONCURRENCY, "every worker waiting on Teams")
    uncertain = {call.path.split("/")[3] for call in connector.sent()[ANSWERED:]}
    runs[0].kill()
    runs[0].wait(SAFETY)
    connector.answer_all()

    start(url, tmp_path, runs)
    db = Database(make_engine(url))
    try:
        await until_async(lambda: _done(db), "the rest of the fan-out")
    finally:
        await db.dispose()

    posts = Counter(call.path.split("/")[3] for call in connector.sent())
    assert set(posts) == {person(index)[1] for index in range(PEOPLE)}
    twice = {chat for chat, count in posts.items() if count > 1}
    assert twice <= uncertain
    assert sum(posts.values()) - PEOPLE <= CONCURRENCY
    assert max(posts.values()) == 2


async def _done(db: Database) -> bool:
    return await unsent(db) == 0

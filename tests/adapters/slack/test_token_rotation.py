"""Slack token rotation: an install stores an expiring token with its refresh token, both
sealed; a token near its end is refreshed before an event is answered or a message is sent,
once however many replicas want it at the same moment; a refused refresh leaves the workspace
unknown. Installs without rotation keep their token as before.

Expiry is wall-clock time (Slack's and bolt's), not the bot's virtual clock: a test brings a
token near its end by moving its stored expiry, and forgets the outbox's cached client as the
hours in between would have (the cache never outlives TOKEN_TTL_SECONDS).
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from sqlmodel import col, select, update

from adapters.slack.clients import SlackClients
from adapters.slack.tables import Installation
from bot.contract.ui import Destination, Message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from bot.store.db import Database
from bot.store.secrets_at_rest import Sealer, is_sealed
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_home import home_opened
from tests.adapters.slack.test_oauth import (
    ALPHA,
    BETA,
    CLIENT_ID,
    CLIENT_SECRET,
    assert_unknown,
    install,
    oauth_world,
)

KEY = Fernet.generate_key().decode()
FIRST, SECOND = "xoxe.xoxb-t0alpha-1", "xoxe.xoxb-t0alpha-2"


@pytest.fixture
async def rotating(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackWorld]:
    """Alpha installs with token rotation on, Beta without; tokens sealed at rest."""
    fake_slack.rotating = {ALPHA}
    async with oauth_world(db, settings, clock, fake_slack, token_encryption_keys=KEY) as world:
        assert "Thank you!" in await install(world, "code-a")
        yield world


async def stored(db: Database, team: str = ALPHA) -> Installation:
    async with db.session() as session:
        found = await session.exec(select(Installation).where(Installation.external_id == team))
        return found.one()


async def near_expiry(world: SlackWorld, db: Database, team: str = ALPHA) -> None:
    """As ten and a half hours after the token was issued: half an hour left."""
    soon = datetime.now(UTC) + timedelta(minutes=30)
    async with db.session() as session:
        await session.exec(
            update(Installation)
            .where(col(Installation.external_id) == team)
            .values(bot_token_expires_at=soon)
        )
    world.adapter.clients.forget(team)


async def home_published_with(world: SlackWorld, count: int) -> str:
    await world.event(home_opened("U0ALI"), team=ALPHA)
    await world.settled(count)
    published = [c for c in world.fake.calls if c.method == "views.publish" and c.ok]
    return published[-1].token


async def test_an_install_with_rotation_stores_its_refresh_token_and_expiry_sealed(
    rotating: SlackWorld, db: Database
) -> None:
    assert "Thank you!" in await install(rotating, "code-b")
    alpha, beta = await stored(db, ALPHA), await stored(db, BETA)
    sealer = Sealer([KEY])
    assert alpha.bot_refresh_token is not None
    assert is_sealed(alpha.bot_token) and is_sealed(alpha.bot_refresh_token)
    assert "xox" not in alpha.bot_token + alpha.bot_refresh_token
    assert sealer.open(alpha.bot_token) == FIRST
    assert sealer.open(alpha.bot_refresh_token) == "xoxe-1-t0alpha-1"
    assert alpha.bot_token_expires_at is not None
    assert abs(alpha.bot_token_expires_at.timestamp() - (time.time() + 12 * 3600)) < 60
    # Without rotation nothing expires and nothing is refreshed.
    assert beta.bot_refresh_token is None and beta.bot_token_expires_at is None
    assert sealer.open(beta.bot_token) == "xoxb-t0beta"

    assert await home_published_with(rotating, 1) == FIRST
    await rotating.event(home_opened("U0BEA"), team=BETA)
    await rotating.settled(2)
    assert rotating.fake.refreshes() == []


async def test_an_event_near_expiry_is_answered_with_the_refreshed_token(
    rotating: SlackWorld, db: Database
) -> None:
    assert await home_published_with(rotating, 1) == FIRST
    await near_expiry(rotating, db)

    assert await home_published_with(rotating, 2) == SECOND
    [refresh] = rotating.fake.refreshes()
    assert refresh.ok and refresh.args["refresh_token"] == "xoxe-1-t0alpha-1"
    row = await stored(db)
    assert row.bot_refresh_token is not None
    assert Sealer([KEY]).open(row.bot_refresh_token) == "xoxe-1-t0alpha-2"
    assert row.bot_token_expires_at is not None
    assert row.bot_token_expires_at > datetime.now(UTC) + timedelta(hours=11)

    assert await home_published_with(rotating, 3) == SECOND
    assert len(rotating.fake.refreshes()) == 1


async def send_to_ali(world: SlackWorld, db: Database, key: str) -> str:
    now = world.rapport.bot.clock.now()
    async with db.session() as session:
        alpha = await ensure_workspace(session, "slack", ALPHA, "Alpha", now)
        OutboxWriter(session, alpha, key, now).add(
            Destination(kind="dm", user="U0ALI"), Message(text=f"hello {key}")
        )
    await world.rapport.runtime.settle()
    posted = [c for c in world.fake.calls if c.method == "chat.postMessage"]
    [sent] = [c for c in posted if key in c.args["text"]]
    assert sent.ok
    return sent.token


async def test_an_outbox_send_near_expiry_refreshes_once(
    rotating: SlackWorld, db: Database
) -> None:
    assert await send_to_ali(rotating, db, "first") == FIRST
    await near_expiry(rotating, db)

    assert await send_to_ali(rotating, db, "second") == SECOND
    assert await send_to_ali(rotating, db, "third") == SECOND
    assert [c.ok for c in rotating.fake.refreshes()] == [True]


async def test_two_replicas_refreshing_at_once_use_the_refresh_token_once(
    rotating: SlackWorld, db: Database
) -> None:
    await near_expiry(rotating, db)
    rotating.fake.refresh_delay = 0.2  # both replicas ask while the first refresh is under way
    sealer = Sealer([KEY])
    adapter = rotating.adapter
    replicas = [
        SlackClients(
            adapter.http,
            rotating.fake.api_url,
            db=db,
            sealer=sealer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
        )
        for _ in range(2)
    ]

    clients = await asyncio.gather(*(replica.for_team(ALPHA) for replica in replicas))

    assert [client.token for client in clients] == [SECOND, SECOND]
    assert [c.ok for c in rotating.fake.refreshes()] == [True]
    row = await stored(db)
    assert row.bot_refresh_token is not None
    assert sealer.open(row.bot_refresh_token) == "xoxe-1-t0alpha-2"


async def test_a_refused_refresh_leaves_the_workspace_unknown(
    rotating: SlackWorld, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="adapters.slack.token_refresh")
    rotating.fake.revoke_refresh_tokens(ALPHA)
    await near_expiry(rotating, db)

    await assert_unknown(rotating, ALPHA, "U0ALI")

    [refused, *_] = rotating.fake.refreshes()
    assert refused.error == "invalid_refresh_token"
    errors = [r.getMessage() for r in caplog.records if r.name == "adapters.slack.token_refresh"]
    assert len(errors) == 1
    assert ALPHA in errors[0] and "could not be refreshed" in errors[0]
    assert "xoxe" not in caplog.text

"""OAuth installs with TOKEN_ENCRYPTION_KEYS: the database holds sealed tokens only, events
are still answered with each workspace's token, tokens stored in plaintext before keys were set
still work, and a token no key opens makes its workspace unknown, with a clear log line."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

import pytest
from cryptography.fernet import Fernet
from sqlmodel import col, select

from adapters.slack.clients import NotInstalled
from adapters.slack.tables import Installation
from bot.store.db import Database
from bot.store.secrets_at_rest import MARKER
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from tests.adapters.slack.conftest import SlackWorld
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_home import home_opened
from tests.adapters.slack.test_oauth import ALPHA, BETA, assert_unknown, install, oauth_world

KEY, OTHER_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
# A Slack world in OAuth mode with the given TOKEN_ENCRYPTION_KEYS, on the test's database.
World = Callable[[str], AbstractAsyncContextManager[SlackWorld]]


@pytest.fixture
def world(db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack) -> World:
    def wired(keys: str) -> AbstractAsyncContextManager[SlackWorld]:
        return oauth_world(db, settings, clock, fake_slack, token_encryption_keys=keys)

    return wired


@pytest.fixture
async def sealed(world: World) -> AsyncIterator[SlackWorld]:
    async with world(KEY) as installs:
        yield installs


async def stored_tokens(db: Database) -> list[str]:
    async with db.session() as session:
        found = await session.exec(
            select(Installation.bot_token).order_by(col(Installation.external_id))
        )
        return list(found.all())


async def answered_with(installs: SlackWorld) -> dict[str, str]:
    await installs.event(home_opened("U0ALI"), team=ALPHA)
    await installs.event(home_opened("U0BEA"), team=BETA)
    await installs.settled(2)
    published = [c for c in installs.fake.calls if c.method == "views.publish" and c.ok]
    return {c.args["user_id"]: c.token for c in published}


async def test_tokens_are_sealed_in_the_database_and_events_still_work(
    sealed: SlackWorld, db: Database
) -> None:
    assert "Thank you!" in await install(sealed, "code-a")
    assert "Thank you!" in await install(sealed, "code-b")

    tokens = await stored_tokens(db)
    assert len(tokens) == 2
    assert all(token.startswith(MARKER) for token in tokens)
    assert not any("xoxb" in token for token in tokens)
    assert "xoxb-t0alpha" in [Fernet(KEY).decrypt(t.removeprefix(MARKER)).decode() for t in tokens]

    assert await answered_with(sealed) == {"U0ALI": "xoxb-t0alpha", "U0BEA": "xoxb-t0beta"}
    await sealed.command("U0BEA", "/kudos", "help", team=BETA)
    await sealed.settled(3)
    [help_reply] = [c for c in sealed.fake.calls if c.method == "chat.postEphemeral" and c.ok]
    assert help_reply.token == "xoxb-t0beta"


async def test_a_token_stored_before_keys_works_and_is_sealed_on_reinstall(
    world: World, db: Database
) -> None:
    async with world("") as plain:
        assert "Thank you!" in await install(plain, "code-a")
    assert await stored_tokens(db) == ["xoxb-t0alpha"]

    async with world(KEY) as sealed:
        await sealed.event(home_opened("U0ALI"), team=ALPHA)
        await sealed.settled(1)
        published = [c for c in sealed.fake.calls if c.method == "views.publish" and c.ok]
        assert [c.token for c in published] == ["xoxb-t0alpha"]
        assert "Thank you!" in await install(sealed, "code-a")
    [token] = await stored_tokens(db)
    assert token.startswith(MARKER) and "xoxb" not in token


async def test_a_token_no_key_opens_leaves_its_workspace_unknown(
    world: World, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with world(KEY) as before:
        assert "Thank you!" in await install(before, "code-a")

    caplog.set_level(logging.ERROR, logger="adapters.slack.clients")
    async with world(OTHER_KEY) as after:
        await assert_unknown(after, ALPHA, "U0ALI")
        with pytest.raises(NotInstalled):
            await after.adapter.clients.for_team(ALPHA)

    # Said once, however many events and sends meet the unreadable token.
    errors = [r.getMessage() for r in caplog.records if r.name == "adapters.slack.clients"]
    assert len(errors) == 1 and ALPHA in errors[0] and "cannot be read" in errors[0]
    assert "xoxb-t0alpha" not in caplog.text
    [token] = await stored_tokens(db)
    assert token.startswith(MARKER)  # left as it is, for the key that sealed it

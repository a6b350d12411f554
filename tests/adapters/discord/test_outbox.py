"""The outbox through DiscordPlatform: rate limits, server errors, refusals; virtual clock."""

import secrets
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.contract.ui import Destination, text_message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from bot.models import OutboxMessage
from bot.time.clock import VirtualClock
from tests.adapters.discord.conftest import BOB, GONE, KUDOS_ID, Harness
from tests.adapters.discord.fake_discord import GUILD_ID

POSTS = f"/channels/{KUDOS_ID}/messages"


async def queue(harness: Harness, destination: Destination, text: str = "Hello, team") -> str:
    bot = harness.assembly.bot
    async with bot.db.session() as session:
        workspace = await ensure_workspace(session, "discord", GUILD_ID, "Acme", bot.clock.now())
        writer = OutboxWriter(session, workspace, f"test:{secrets.token_hex(4)}", bot.clock.now())
        return writer.add(destination, text_message(text))


async def row(harness: Harness, key: str) -> OutboxMessage:
    async with harness.assembly.bot.db.session() as session:
        found = (await session.exec(select(OutboxMessage).where(OutboxMessage.key == key))).one()
        session.expunge(found)
        return found


def to_kudos() -> Destination:
    return Destination(kind="channel", channel="kudos")


async def test_rate_limit_waits_on_the_clock_and_sends_once(
    harness: Harness, clock: VirtualClock
) -> None:
    fake = harness.fake
    key = await queue(harness, to_kudos())
    fake.fail_next(
        "POST",
        POSTS,
        429,
        {"message": "You are being rate limited.", "retry_after": 60.0, "global": False},
        {"Via": "1.1 google"},
    )
    await harness.settle()
    waiting = await row(harness, key)
    assert waiting.status == "pending"
    assert waiting.next_attempt_at == clock.now() + timedelta(seconds=60)

    await harness.assembly.runtime.advance(timedelta(seconds=61))
    sent = await row(harness, key)
    assert sent.status == "sent" and sent.platform_message_id
    attempts = fake.find("POST", POSTS)
    assert len(attempts) == 2 and attempts[0].json["nonce"] == attempts[1].json["nonce"]
    assert sum(m["channel_id"] == KUDOS_ID for m in fake.messages.values()) == 1


async def test_a_bare_429_uses_retry_after(harness: Harness, clock: VirtualClock) -> None:
    """Without Discord's Via header (a proxy or Cloudflare answering), discord.py raises
    HTTPException 429 at once; the Retry-After header says how long to wait."""
    key = await queue(harness, to_kudos())
    harness.fake.fail_next("POST", POSTS, 429, {"message": "slow down"}, {"Retry-After": "7"})
    await harness.settle()
    assert (await row(harness, key)).next_attempt_at == clock.now() + timedelta(seconds=7)
    await harness.assembly.runtime.advance(timedelta(seconds=8))
    assert (await row(harness, key)).status == "sent"


async def test_server_error_is_retried_with_backoff(harness: Harness) -> None:
    key = await queue(harness, to_kudos())
    harness.fake.fail_next("POST", POSTS, 503, {"message": "upstream unavailable"})
    await harness.settle()
    retrying = await row(harness, key)
    assert retrying.status == "pending" and retrying.attempts == 1
    await harness.assembly.runtime.advance(timedelta(seconds=5))
    assert (await row(harness, key)).status == "sent"
    assert len(harness.fake.find("POST", POSTS)) == 2


async def test_a_resend_after_a_crash_is_deduplicated_by_the_nonce(
    harness: Harness, clock: VirtualClock
) -> None:
    key = await queue(harness, to_kudos())
    await harness.settle()
    first = await row(harness, key)
    async with harness.assembly.bot.db.session() as session:
        # The sender died after Discord accepted the message but before it was marked sent.
        crashed = await session.get(OutboxMessage, first.id)
        assert crashed is not None
        crashed.status, crashed.claimed_by = "sending", "a-replica-that-died"
        crashed.claimed_at = clock.now()
    await harness.assembly.runtime.advance(timedelta(minutes=3))  # the claim's lease expires
    again = await row(harness, key)
    assert again.status == "sent" and again.platform_message_id == first.platform_message_id
    assert len(harness.fake.find("POST", POSTS)) == 2
    assert sum(m["channel_id"] == KUDOS_ID for m in harness.fake.messages.values()) == 1


async def test_a_member_who_left_cannot_get_a_dm(harness: Harness) -> None:
    """Discord refuses a DM to someone who shares no server with the bot (403, code 50007)."""
    harness.fake.users[GONE["id"]] = GONE  # the DM channel still opens
    key = await queue(harness, Destination(kind="dm", user=GONE["id"]))
    dm_channel = "82" + GONE["id"][2:]
    harness.fake.fail_next(
        "POST",
        f"/channels/{dm_channel}/messages",
        403,
        {"message": "Cannot send messages to this user", "code": 50007},
    )
    await harness.settle()
    dead = await row(harness, key)
    assert dead.status == "dead" and "403" in (dead.last_error or "")


async def test_an_unknown_channel_is_given_up(harness: Harness) -> None:
    key = await queue(harness, Destination(kind="channel", channel="no-such-channel"))
    unknown_id = await queue(harness, Destination(kind="channel", channel="810000000000000099"))
    harness.fake.fail_next(
        "POST",
        "/channels/810000000000000099/messages",
        404,
        {"message": "Unknown Channel", "code": 10003},
    )
    await harness.settle()
    assert (await row(harness, key)).status == "dead"
    assert (await row(harness, unknown_id)).status == "dead"


@pytest.mark.parametrize("status", [401, 404])
async def test_an_expired_interaction_token_falls_back_to_a_dm(
    harness: Harness, status: int
) -> None:
    token = "expired-token"
    key = await queue(
        harness,
        Destination(kind="ephemeral", channel=KUDOS_ID, user=BOB["id"], reply_token=token),
    )
    harness.fake.fail_next(
        "POST", f"/webhooks/.*/{token}", status, {"message": "Unknown Webhook", "code": 10015}
    )
    await harness.settle()
    assert (await row(harness, key)).status == "sent"
    assert harness.fake.find("POST", f"/channels/82{BOB['id'][2:]}/messages")


async def test_a_thread_reply_references_the_message(harness: Harness) -> None:
    await queue(harness, Destination(kind="thread", channel="kudos", thread=f"{KUDOS_ID}:42"))
    await harness.settle()
    [reply] = harness.fake.find("POST", POSTS)
    assert reply.json["message_reference"]["message_id"] == 42
    assert reply.json["message_reference"]["fail_if_not_exists"] is False

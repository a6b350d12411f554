"""Discord: who can see a channel (the members intent), group messages (one DM each: bots
cannot open group DMs), and an idea's discussion thread, through discord.py against the
local fake of Discord's REST API."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlmodel import select

from adapters.discord.settings import SECTION as DISCORD
from bot.contract.platform import Delivery, PermanentFailure
from bot.contract.ui import Destination, text_message
from bot.models import Interaction, Person
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import assemble
from bot.wiring.config import Settings
from handlers import build_router
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, BOB, GENERAL_ID, Harness
from tests.adapters.discord.fake_discord import (
    BOT_ID,
    GUILD_ID,
    IDEAS_ID,
    KUDOS_ID,
    FakeDiscord,
    user,
)

CAT = user("100000000000000003", "Cat")
ROBOT = user("100000000000000004", "Robot", bot=True)
ENG_ROLE = "830000000000000001"
VIEW_CHANNEL = 1 << 10


def guild_with_roles() -> dict[str, Any]:
    """Everyone sees #general; #kudos is private to the eng role (Bob)."""
    everyone = {"id": GUILD_ID, "name": "@everyone", "permissions": str(VIEW_CHANNEL)}
    eng = {"id": ENG_ROLE, "name": "eng", "permissions": "0"}
    private = payloads.text_channel(KUDOS_ID, "kudos")
    private["permission_overwrites"] = [
        {"id": GUILD_ID, "type": 0, "allow": "0", "deny": str(VIEW_CHANNEL)},
        {"id": ENG_ROLE, "type": 0, "allow": str(VIEW_CHANNEL), "deny": "0"},
    ]
    guild = payloads.guild_create(
        [payloads.text_channel(), private, payloads.text_channel(IDEAS_ID, "ideas")]
    )
    guild["roles"] = [_role(everyone), _role(eng)]
    return guild


def _role(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "color": 0,
        "hoist": False,
        "position": 0,
        "managed": False,
        "mentionable": False,
        "flags": 0,
        **fields,
    }


@pytest.fixture
async def members_harness(
    db: Database, clock: VirtualClock, fake: FakeDiscord
) -> AsyncIterator[Harness]:
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        seed_demo=False,
    ).with_section(DISCORD, token="test-token", api_base_url=fake.base_url, members_intent=True)
    assembly = await assemble(settings, build_router(), clock, None, db=db)
    assert assembly.discord is not None
    client = assembly.discord.client
    await client.login(assembly.discord.token)
    harness = Harness(fake, assembly, client)
    harness.feed("GUILD_CREATE", guild_with_roles())
    yield harness
    await assembly.close()


def delivery(destination: Destination, key: str, text: str = "Hello") -> Delivery:
    return Delivery(
        key=key, workspace=GUILD_ID, destination=destination, message=text_message(text)
    )


async def test_channel_members_are_the_guild_members_who_can_see_it(
    members_harness: Harness,
) -> None:
    fake = members_harness.fake
    fake.users |= {CAT["id"]: CAT, ROBOT["id"]: ROBOT}
    fake.roles[BOB["id"]] = [ENG_ROLE]
    platform = members_harness.assembly.discord.platform  # type: ignore[union-attr]

    assert await platform.channel_members(GUILD_ID, "general") == [ANN["id"], BOB["id"], CAT["id"]]
    assert await platform.channel_members(GUILD_ID, KUDOS_ID) == [BOB["id"]]
    listed = fake.find("GET", f"/guilds/{GUILD_ID}/members")
    assert listed and listed[0].query["limit"] == "1000"
    with pytest.raises(PermanentFailure):
        await platform.channel_members(GUILD_ID, "no-such-channel")


async def test_without_the_members_intent_channel_members_are_refused(harness: Harness) -> None:
    platform = harness.assembly.discord.platform  # type: ignore[union-attr]
    with pytest.raises(PermanentFailure, match="DISCORD_MEMBERS_INTENT"):
        await platform.channel_members(GUILD_ID, GENERAL_ID)
    assert not harness.fake.find("GET", f"/guilds/{GUILD_ID}/members")


async def test_a_group_message_is_one_dm_each_and_an_edit_reaches_every_copy(
    harness: Harness,
) -> None:
    platform = harness.assembly.discord.platform  # type: ignore[union-attr]
    group = Destination(kind="group", users=[ANN["id"], BOB["id"]])

    sent = await platform.send(delivery(group, "g1", "Meet each other"))

    assert sent is not None
    ann_copy, bob_copy = sent.split()
    ann_dm, bob_dm = (f"82{person['id'][2:]}" for person in (ANN, BOB))
    assert ann_copy.startswith(f"{ann_dm}:") and bob_copy.startswith(f"{bob_dm}:")
    edit = delivery(group, "g2", "Ann accepted").model_copy(update={"edit_message_id": sent})
    assert await platform.send(edit) == sent
    edited = [c.path for c in harness.fake.calls if c.method == "PATCH"]
    assert edited == [
        f"/channels/{ann_copy.replace(':', '/messages/')}",
        f"/channels/{bob_copy.replace(':', '/messages/')}",
    ]
    # A resend of the same row (its `sent` mark lost) is answered from Discord's nonces.
    assert await platform.send(delivery(group, "g1", "Meet each other")) == sent


async def test_an_idea_starts_a_thread_on_its_post_and_comments_there_count(
    harness: Harness,
) -> None:
    fake = harness.fake
    command = payloads.slash_command(
        ANN, "idea", [{"name": "text", "type": 3, "value": "Standing desks — whole floor"}]
    )
    harness.feed("INTERACTION_CREATE", command)
    await harness.handled(command["id"])
    await harness.settle()

    [post] = [
        c for c in fake.find("POST", f"/channels/{IDEAS_ID}/messages") if "Standing" in str(c.json)
    ]
    idea_id = next(m["id"] for m in fake.messages.values() if m["channel_id"] == IDEAS_ID)
    [started] = fake.find("POST", f"/channels/{IDEAS_ID}/messages/{idea_id}/threads")
    assert started.json["name"] == "Discussion"
    [opener] = fake.find("POST", f"/channels/{idea_id}/messages")
    assert "Discuss idea #1 here" in opener.json["content"]
    assert post.json["nonce"] != opener.json["nonce"]

    # Discord tells the bot about its thread, then Bob writes in it.
    harness.feed("THREAD_CREATE", {**fake.threads[idea_id], "newly_created": True})
    comment = payloads.direct_message(BOB, idea_id, "Could it include the meeting rooms?")
    comment["guild_id"] = GUILD_ID
    comment["member"] = {"roles": [], "joined_at": "2026-01-01T00:00:00+00:00", "deaf": False}
    harness.feed("MESSAGE_CREATE", comment)
    await harness.handled(comment["id"])
    # Chatter in an ordinary channel that does not mention the bot stays none of its business.
    chatter = payloads.direct_message(BOB, GENERAL_ID, "lunch?")
    chatter["guild_id"] = GUILD_ID
    harness.feed("MESSAGE_CREATE", chatter)
    # The thread already exists when the outbox sends there again: it is simply used.
    platform = harness.assembly.discord.platform  # type: ignore[union-attr]
    again = Destination(
        kind="thread", channel="ideas", thread=f"{IDEAS_ID}:{idea_id}", thread_of="k"
    )
    assert (await platform.send(delivery(again, "k2"))).startswith(f"{idea_id}:")  # type: ignore[union-attr]

    async with harness.assembly.db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        edges = (await session.exec(select(Interaction))).all()
    comments = [
        (people[e.source_id], people[e.target_id]) for e in edges if e.kind == "idea_comment"
    ]
    assert comments == [(BOB["id"], ANN["id"])]
    assert BOT_ID not in people.values()

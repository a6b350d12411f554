"""Commands in a DM, where Discord names no server: the person's server is found without
keeping Discord waiting past its 3 s for the acknowledgement."""

from typing import Any

from sqlmodel import select

from adapters.discord.client import FORM_LATE
from bot.models import Person, Workspace
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, Harness
from tests.adapters.discord.fake_discord import APP_ID, GUILD_ID

ANN_DM = "82" + ANN["id"][2:]
OTHER_GUILDS = [str(800000000000000100 + n) for n in range(11)]


async def in_twelve_servers(harness: Harness) -> None:
    """The bot is in 12 servers; Ann is a member of the last one only."""
    for guild_id in OTHER_GUILDS:
        channel = {**payloads.text_channel(str(int(guild_id) + 5000), "general")}
        channel["guild_id"] = guild_id
        harness.feed("GUILD_CREATE", payloads.guild_create([channel], guild_id))
    await harness.until(lambda: len(harness.client.guilds) == 12, "twelve guilds")
    harness.fake.memberships = {g: set() for g in [GUILD_ID, *OTHER_GUILDS]}
    harness.fake.memberships[OTHER_GUILDS[-1]] = {ANN["id"]}


async def dm_command(harness: Harness, name: str, text: str = "") -> dict[str, Any]:
    options = [{"name": "text", "type": 3, "value": text}] if text else None
    command = payloads.in_dm(payloads.slash_command(ANN, name, options), ANN_DM)
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    # The work follows the deferred acknowledgement (a server looked up, then the handler).
    await harness.handled(command["id"])
    await harness.settle()
    return command


async def test_a_dm_command_is_deferred_before_any_server_is_asked(harness: Harness) -> None:
    await in_twelve_servers(harness)
    before = len(harness.fake.calls)
    command = await dm_command(harness, "pulse", "help")

    calls = harness.fake.calls[before:]
    lookups = [i for i, c in enumerate(calls) if c.path.endswith(f"/members/{ANN['id']}")]
    [ack] = [i for i, c in enumerate(calls) if c.path.startswith(f"/interactions/{command['id']}")]
    assert len(lookups) == 12  # one server after another, until the last one has her
    assert ack < lookups[0]
    assert calls[ack].json["type"] == 5  # deferred, the answer follows up
    [answer] = harness.fake.find("POST", f"/webhooks/{APP_ID}/{command['token']}")
    assert "Pulse surveys" in answer.json["content"]
    async with harness.assembly.db.session() as session:
        homes = (
            await session.exec(
                select(Workspace.external_id)
                .join(Person)
                .where(Person.platform_user_id == ANN["id"])
            )
        ).all()
    assert homes == [OTHER_GUILDS[-1]]


async def test_a_server_found_before_is_known_without_asking_so_a_form_can_open(
    harness: Harness,
) -> None:
    await in_twelve_servers(harness)
    await dm_command(harness, "pulse", "help")
    harness.client._homes.clear()  # a restart, or another replica: only the store remembers
    before = len(harness.fake.calls)
    command = await dm_command(harness, "kudos")  # no text: the kudos form
    calls = harness.fake.calls[before:]
    assert not [c for c in calls if "/members/" in c.path]
    [opened] = harness.fake.find("POST", f"/interactions/{command['id']}/.*/callback")
    assert opened.json["type"] == 9  # the modal, as the first and only answer


async def test_a_form_asked_for_while_the_server_was_looked_up_says_try_again(
    harness: Harness,
) -> None:
    await in_twelve_servers(harness)
    command = await dm_command(harness, "kudos")
    [ack] = harness.fake.find("POST", f"/interactions/{command['id']}/.*/callback")
    assert ack.json["type"] == 5  # too late for a modal once deferred
    [answer] = harness.fake.find("POST", f"/webhooks/{APP_ID}/{command['token']}")
    assert answer.json["content"] == FORM_LATE

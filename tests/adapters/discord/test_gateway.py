"""Command sync, autocomplete and direct messages through discord.py's gateway parsers."""

import discord

from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, Harness
from tests.adapters.discord.fake_discord import APP_ID, GUILD_ID

ANN_DM = "82" + ANN["id"][2:]


async def test_commands_are_synced_per_guild_with_typed_options(harness: Harness) -> None:
    await harness.client.sync_guild(discord.Object(int(GUILD_ID)))
    await harness.client.sync_guild(discord.Object(int(GUILD_ID)))  # once per process
    [sync] = harness.fake.find("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    commands = {c["name"]: c for c in sync.json}
    assert {"kudos", "rapport", "help"} <= set(commands)
    kudos = [
        (o["name"], o["type"], o.get("autocomplete", False)) for o in commands["kudos"]["options"]
    ]
    assert kudos == [("to", 6, False), ("text", 3, True), ("also", 6, False), ("more", 6, False)]
    assert all(not o["required"] for o in commands["kudos"]["options"])
    assert [o["name"] for o in commands["rapport"]["options"]] == ["person", "text"]


async def test_autocomplete_offers_first_words(harness: Harness) -> None:
    asking = payloads.autocomplete(ANN, "kudos", "le")
    harness.feed("INTERACTION_CREATE", asking)
    callback = f"/interactions/{asking['id']}/{asking['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the suggestions")
    [answer] = harness.fake.find("POST", callback)
    assert answer.json == {
        "type": 8,
        "data": {"choices": [{"name": "leaderboard", "value": "leaderboard"}]},
    }


async def test_a_dm_starting_with_a_command_runs_it(harness: Harness) -> None:
    dm = payloads.direct_message(ANN, ANN_DM, "kudos help")
    harness.feed("MESSAGE_CREATE", dm)
    await harness.handled(dm["id"])
    await harness.settle()
    [reply] = harness.fake.find("POST", f"/channels/{ANN_DM}/messages")
    assert reply.json["content"].startswith("**Kudos**: thank a colleague")


async def test_any_other_dm_gets_the_overview(harness: Harness) -> None:
    dm = payloads.direct_message(ANN, ANN_DM, "hello there")
    harness.feed("MESSAGE_CREATE", dm)
    await harness.handled(dm["id"])
    await harness.settle()
    [reply] = harness.fake.find("POST", f"/channels/{ANN_DM}/messages")
    assert reply.json["content"].startswith("Hi, I'm Rapport")


async def test_commands_describe_themselves_in_every_shipped_language(harness: Harness) -> None:
    await harness.client.sync_guild(discord.Object(int(GUILD_ID)))
    [sync] = harness.fake.find("PUT", f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
    kudos = {c["name"]: c for c in sync.json}["kudos"]
    languages = kudos["description_localizations"]
    assert {"fr", "de", "es-ES", "es-419", "ja"} <= set(languages)
    assert languages["es-ES"] == languages["es-419"] != kudos["description"]
    assert len({languages["fr"], languages["de"], languages["ja"], kudos["description"]}) == 4
    assert "pt-BR" not in languages  # not shipped: Discord shows the English text

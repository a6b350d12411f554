"""Kudos end to end through discord.py: slash command, Undo button, modal, reaction."""

from typing import Any

import pytest

from adapters.discord import client as client_module
from adapters.discord.client import FORM_LATE, STALE_COMPONENT, UNKNOWN_COMMAND
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, BOB, GENERAL_ID, GONE, KUDOS_ID, Harness
from tests.adapters.discord.fake_discord import APP_ID, BOT_ID, GUILD_ID, user

EPHEMERAL = 64


def _user_option(name: str, person: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "type": 6, "value": person["id"]}


async def give_by_command(harness: Harness, text: str) -> dict[str, Any]:
    command = payloads.slash_command(
        ANN,
        "kudos",
        [_user_option("to", BOB), {"name": "text", "type": 3, "value": text}],
        resolved_users=[BOB],
    )
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    await harness.settle()
    return command


async def test_kudos_by_slash_command(harness: Harness) -> None:
    fake = harness.fake
    command = await give_by_command(harness, "thanks for the <@!100000000000000001> demo")

    [ack] = fake.find("POST", f"/interactions/{command['id']}/.*/callback")
    assert ack.json["type"] == 5 and ack.json["data"]["flags"] == EPHEMERAL  # deferred, private

    [announcement] = fake.find("POST", f"/channels/{KUDOS_ID}/messages")
    assert f"<@{BOB['id']}>" in announcement.json["content"]
    assert announcement.json["allowed_mentions"] == {"parse": ["users"]}
    assert len(announcement.json["nonce"]) == 25 and announcement.json["enforce_nonce"] is True
    assert fake.find("GET", f"/guilds/{GUILD_ID}/channels")  # "kudos" resolved by name

    [dm] = fake.find("POST", "/users/@me/channels")
    assert str(dm.json["recipient_id"]) == BOB["id"]
    assert fake.find("POST", f"/channels/82{BOB['id'][2:]}/messages")  # the notice to Bob

    [confirmation] = fake.find("POST", f"/webhooks/{APP_ID}/{command['token']}")
    assert confirmation.json["flags"] == EPHEMERAL
    [button] = confirmation.json["components"][0]["components"]
    assert button["label"] == "Undo" and button["custom_id"].startswith("rp:kudos.undo:")


async def test_redelivered_interaction_does_nothing_twice(harness: Harness) -> None:
    command = await give_by_command(harness, "thanks for the great demo")
    harness.feed("INTERACTION_CREATE", command)  # the gateway replays the same interaction
    await harness.until(
        lambda: len(harness.fake.find("POST", f"/interactions/{command['id']}/.*")) == 2,
        "the second acknowledgement attempt",
    )
    await harness.settle()
    assert len(harness.fake.find("POST", f"/channels/{KUDOS_ID}/messages")) == 1


async def test_undo_button_survives_as_a_dynamic_item(harness: Harness) -> None:
    fake = harness.fake
    command = await give_by_command(harness, "thanks for the great demo")
    [confirmation] = fake.find("POST", f"/webhooks/{APP_ID}/{command['token']}")
    custom_id = confirmation.json["components"][0]["components"][0]["custom_id"]
    message = next(m for m in fake.messages.values() if m["components"])
    [announcement] = fake.find("POST", f"/channels/{KUDOS_ID}/messages")

    click = payloads.button_click(ANN, custom_id, message)
    harness.feed("INTERACTION_CREATE", click)
    callback = f"/interactions/{click['id']}/{click['token']}/callback"
    await harness.until(lambda: fake.find("POST", callback), "the click's acknowledgement")
    await harness.settle()

    assert fake.find("POST", callback)[0].json["type"] == 6  # deferred update: nothing shown
    edits = fake.find("PATCH", f"/channels/{KUDOS_ID}/messages/.*")
    assert len(edits) == 1 and "withdrawn" in edits[0].json["content"].lower()
    assert fake.find("PATCH", f"/channels/82{BOB['id'][2:]}/messages/.*")  # Bob's notice too
    [reply] = fake.find("POST", f"/webhooks/{APP_ID}/{click['token']}")
    assert reply.json["content"].startswith("Withdrawn: 1 kudos")
    assert announcement.json["nonce"] != reply.json.get("nonce")


async def test_unknown_custom_id_gets_a_friendly_reply(harness: Harness) -> None:
    message = {**harness.fake._message(GENERAL_ID, {}, user(BOT_ID, "Rapport", bot=True))}
    message["components"] = [
        {"type": 1, "components": [{"type": 2, "style": 1, "label": "Old", "custom_id": "v0-x"}]}
    ]
    click = payloads.button_click(ANN, "v0-x", message)
    harness.feed("INTERACTION_CREATE", click)
    callback = f"/interactions/{click['id']}/{click['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the answer")
    [answer] = harness.fake.find("POST", callback)
    assert answer.json["type"] == 4
    assert (
        answer.json["data"]
        == {
            "content": STALE_COMPONENT,
            "flags": EPHEMERAL,
            "allowed_mentions": {"parse": ["users"]},
        }
        or answer.json["data"]["content"] == STALE_COMPONENT
    )


async def test_kudos_form_opens_as_a_modal_and_its_submit_gives_kudos(harness: Harness) -> None:
    fake = harness.fake
    command = payloads.slash_command(ANN, "kudos")
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: fake.find("POST", callback), "the modal")
    [opened] = fake.find("POST", callback)
    assert opened.json["type"] == 9  # MODAL: the form is the first and only response
    modal = opened.json["data"]
    assert modal["custom_id"] == "rpf:kudos.give:" and modal["title"] == "Give kudos"
    inputs = [row["components"][0] for row in modal["components"]]
    assert [i["custom_id"] for i in inputs][:2] == ["to:users", "reason:textarea"]
    assert inputs[1]["style"] == 2  # paragraph

    submit = payloads.modal_submit(
        ANN,
        modal["custom_id"],
        {"to:users": f"<@{BOB['id']}>", "reason:textarea": "for pairing on the outage all night"},
    )
    harness.feed("INTERACTION_CREATE", submit)
    submitted = f"/interactions/{submit['id']}/{submit['token']}/callback"
    await harness.until(lambda: fake.find("POST", submitted), "the submit's acknowledgement")
    await harness.settle()

    assert fake.find("POST", submitted)[0].json["type"] == 5
    [announcement] = fake.find("POST", f"/channels/{KUDOS_ID}/messages")
    assert "pairing on the outage" in announcement.json["content"]
    assert fake.find("POST", f"/webhooks/{APP_ID}/{submit['token']}")


async def test_form_errors_come_back_as_an_ephemeral_list(harness: Harness) -> None:
    fake = harness.fake
    submit = payloads.modal_submit(
        ANN, "rpf:kudos.give:", {"to:users": "@nobody", "reason:textarea": "for the demo <3"}
    )
    harness.feed("INTERACTION_CREATE", submit)
    follow_up = f"/webhooks/{APP_ID}/{submit['token']}"
    await harness.until(lambda: fake.find("POST", follow_up), "the list of errors")
    await harness.settle()

    [errors] = fake.find("POST", follow_up)
    assert errors.json["flags"] == EPHEMERAL
    text = errors.json["content"]
    assert "• to: I couldn't find nobody" in text
    assert "reason: for the demo" in text  # what was typed is handed back
    assert not fake.find("POST", f"/channels/{KUDOS_ID}/messages")


async def test_kudos_by_reaction(harness: Harness) -> None:
    fake = harness.fake
    message = fake._message(GENERAL_ID, {"content": "Shipped the release notes"}, BOB)
    harness.feed("MESSAGE_REACTION_ADD", payloads.reaction_add(ANN, GENERAL_ID, message, "🎉"))
    await harness.handled(f"reaction:{message['id']}:{ANN['id']}:tada")
    await harness.settle()
    assert fake.find("GET", f"/channels/{GENERAL_ID}/messages/{message['id']}")
    [announcement] = fake.find("POST", f"/channels/{KUDOS_ID}/messages")
    assert "Shipped the release notes" in announcement.json["content"]
    assert f"<@{BOB['id']}>" in announcement.json["content"]


async def test_other_reactions_give_nothing(harness: Harness) -> None:
    fake = harness.fake
    message = fake._message(GENERAL_ID, {"content": "Lunch?"}, BOB)
    harness.feed("MESSAGE_REACTION_ADD", payloads.reaction_add(ANN, GENERAL_ID, message, "👍"))
    await harness.handled(f"reaction:{message['id']}:{ANN['id']}:thumbsup")
    await harness.settle()
    assert not fake.find("POST", f"/channels/{KUDOS_ID}/messages")


async def test_a_slow_handler_is_deferred_and_cannot_open_a_form_late(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the budget the interaction is deferred (Discord's 3 s), and a form asked for after
    that cannot be a modal any more: the person is told to try again."""
    monkeypatch.setattr(client_module, "ACK_BUDGET_SECONDS", 0)
    command = payloads.slash_command(ANN, "kudos")
    harness.feed("INTERACTION_CREATE", command)
    follow_up = f"/webhooks/{APP_ID}/{command['token']}"
    await harness.until(lambda: harness.fake.find("POST", follow_up), "the follow-up")
    [ack] = harness.fake.find("POST", f"/interactions/{command['id']}/.*/callback")
    assert ack.json["type"] == 5
    assert harness.fake.find("POST", follow_up)[0].json["content"] == FORM_LATE


async def test_a_command_discord_still_shows_but_the_bot_no_longer_has(harness: Harness) -> None:
    command = payloads.slash_command(ANN, "retired")
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the answer")
    [answer] = harness.fake.find("POST", callback)
    assert answer.json["type"] == 4 and answer.json["data"]["content"] == UNKNOWN_COMMAND
    assert answer.json["data"]["flags"] == EPHEMERAL


async def test_kudos_to_a_member_who_left(harness: Harness) -> None:
    command = payloads.slash_command(
        ANN,
        "kudos",
        [_user_option("to", GONE), {"name": "text", "type": 3, "value": "for the handover doc"}],
        resolved_users=[GONE],
    )
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    await harness.settle()
    assert harness.fake.find("GET", f"/guilds/{GUILD_ID}/members/{GONE['id']}")  # 404 there
    [reply] = harness.fake.find("POST", f"/webhooks/{APP_ID}/{command['token']}")
    assert f"I couldn't find {GONE['id']}" in reply.json["content"]
    assert "What you wrote: /kudos" in reply.json["content"]
    assert not harness.fake.find("POST", f"/channels/{KUDOS_ID}/messages")


async def test_a_select_choice_reaches_the_core_as_an_action(harness: Harness) -> None:
    """A menu nobody handles (any more): the core's own friendly answer comes back privately."""
    message = harness.fake._message(GENERAL_ID, {}, user(BOT_ID, "Rapport", bot=True))
    select = {"type": 3, "custom_id": "rps:retired.menu", "options": [{"label": "A", "value": "a"}]}
    message["components"] = [{"type": 1, "components": [select]}]
    click = payloads.button_click(ANN, "rps:retired.menu", message)
    click["data"] = {"custom_id": "rps:retired.menu", "component_type": 3, "values": ["a"]}
    harness.feed("INTERACTION_CREATE", click)
    callback = f"/interactions/{click['id']}/{click['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    await harness.settle()
    assert harness.fake.find("POST", callback)[0].json["type"] == 6
    [reply] = harness.fake.find("POST", f"/webhooks/{APP_ID}/{click['token']}")
    assert reply.json["content"].startswith("That button or form is no longer active")


async def test_an_interaction_is_answered_in_the_language_of_its_discord_client(
    harness: Harness,
) -> None:
    command = payloads.slash_command(ANN, "kudos", [{"name": "text", "type": 3, "value": "me"}])
    command["locale"] = "ja"
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    await harness.settle()
    answers = harness.fake.find("POST", f"(/interactions/{command['id']}|/webhooks/{APP_ID})/.*")
    assert "さんの称賛" in str([answer.json for answer in answers])

"""Kudos end to end through the Agents SDK: a typed command, a reaction and the Undo button."""

import json
from typing import Any

from sqlmodel import select

from adapters.teams.tables import TeamsConversation, TeamsMessage
from handlers.kudos.tables import Kudos
from tests.adapters.teams import payloads
from tests.adapters.teams.conftest import TeamsWorld
from tests.adapters.teams.fake_connector import Call

P = payloads


def card_of(call: Call) -> dict[str, Any]:
    attachments = call.body["attachments"]
    assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    return dict(attachments[0]["content"])


def card_text(card: dict[str, Any]) -> str:
    return json.dumps(card["body"])


async def install(teams: TeamsWorld) -> None:
    response = await teams.post(P.team_install(teams.url, P.ANN))
    assert response.status == 202


async def test_kudos_typed_in_a_channel_with_mentions(teams: TeamsWorld) -> None:
    await install(teams)
    command = P.channel_message(
        teams.url,
        P.ANN,
        "{Rapport} kudos {Bob Ray} thanks for the demo #customer",
        (P.BOT, P.BOB),
        thread="1700000000001",
    )
    assert (await teams.post(command)).status == 202
    await teams.settle()

    async with teams.rapport.db.session() as session:
        given = (await session.exec(select(Kudos))).all()
    assert [k.reason for k in given] == ["thanks for the demo"]

    announcement = teams.connector.sent(P.KUDOS_CHANNEL)
    assert len(announcement) == 1
    card = card_of(announcement[0])
    assert card["version"] == "1.5"
    assert "<at>Ann Lee</at> gave kudos to <at>Bob Ray</at>" in card_text(card)
    mentioned = {e["mentioned"]["id"]: e["text"] for e in card["msteams"]["entities"]}
    assert mentioned == {P.ANN["id"]: "<at>Ann Lee</at>", P.BOB["id"]: "<at>Bob Ray</at>"}

    # Neither has a personal chat with the bot yet: both are created, from the stored
    # reference (service URL and bot account) of the channel where they were seen.
    created = teams.connector.created()
    members = sorted(call.body["members"][0]["id"] for call in created)
    assert members == sorted([P.ANN["id"], P.BOB["id"]])
    assert all(call.body["tenantId"] == P.TENANT for call in created)
    async with teams.rapport.db.session() as session:
        people = (
            await session.exec(select(TeamsConversation).where(TeamsConversation.kind == "person"))
        ).all()
    assert {p.target: bool(p.conversation_id) for p in people} == {
        P.ANN["id"]: True,
        P.BOB["id"]: True,
    }
    texts = [
        json.dumps(call.body)
        for call in teams.connector.sent()
        if call.path.startswith("/v3/conversations/a:")
    ]
    assert any("You received kudos from" in t for t in texts)
    assert any("Kudos sent to" in t and "kudos.undo" in t for t in texts)


async def test_a_channel_message_not_addressed_to_the_bot_is_only_remembered(
    teams: TeamsWorld,
) -> None:
    await install(teams)
    chatter = P.channel_message(teams.url, P.ANN, "kudos {Bob Ray} for nothing much", (P.BOB,))
    assert (await teams.post(chatter)).status == 202
    await teams.settle()
    async with teams.rapport.db.session() as session:
        assert (await session.exec(select(Kudos))).all() == []
    assert teams.connector.sent() == []


async def test_kudos_by_reaction_to_a_remembered_message(teams: TeamsWorld) -> None:
    await install(teams)
    shipped = P.channel_message(teams.url, P.BOB, "Shipped the release notes #customer")
    assert (await teams.post(shipped)).status == 202
    tada = P.reaction(teams.url, P.ANN, shipped["id"], "1f389_tada")
    assert (await teams.post(tada)).status == 202
    # Teams redelivers: the same activity again counts once.
    assert (await teams.post(tada)).status == 202
    await teams.settle()

    async with teams.rapport.db.session() as session:
        given = (await session.exec(select(Kudos))).all()
    assert len(given) == 1
    assert given[0].source == "reaction"
    assert "Shipped the release notes" in given[0].reason
    announcement = teams.connector.sent(P.KUDOS_CHANNEL)
    assert len(announcement) == 1
    assert "<at>Bob Ray</at>" in card_text(card_of(announcement[0]))


async def test_a_reaction_to_an_unknown_message_does_nothing(teams: TeamsWorld) -> None:
    like = P.reaction(teams.url, P.ANN, "1699999999999", "1f389_tada")
    assert (await teams.post(like)).status == 202
    await teams.settle()
    assert teams.connector.sent() == []


async def test_undo_click_refreshes_the_card_in_place(teams: TeamsWorld) -> None:
    await install(teams)
    # Both have talked to the bot in their personal chats: those references are stored.
    for person, chat in ((P.ANN, P.ANN_CHAT), (P.BOB, P.BOB_CHAT)):
        assert (await teams.post(P.personal_install(teams.url, person, chat))).status == 202
    command = P.personal_message(
        teams.url, P.ANN, P.ANN_CHAT, "kudos {Bob Ray} thanks for the demo", (P.BOB,)
    )
    assert (await teams.post(command)).status == 202
    await teams.settle()
    assert teams.connector.created() == []  # the stored personal chats were continued
    confirmation = teams.connector.sent(P.ANN_CHAT)[0]
    card = card_of(confirmation)
    undo = next(
        action
        for item in card["body"]
        if item["type"] == "ActionSet"
        for action in item["actions"]
        if action["verb"] == "kudos.undo"
    )
    assert undo["type"] == "Action.Execute"
    assert undo["fallback"]["type"] == "Action.Submit"
    card_id = f"act-{_sent_id(teams, confirmation)}"

    click = P.card_action(
        teams.url, P.ANN, "kudos.undo", undo["data"], reply_to=card_id, chat=P.ANN_CHAT
    )
    response = await teams.post(click)
    assert response.status == 200
    answer = await response.json()
    assert answer["statusCode"] == 200
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Withdrawn: 1 kudos" in card_text(answer["value"])

    before = len(teams.connector.calls)
    await teams.settle()
    # The answer was not posted again; the announcement and Bob's notice were edited.
    later = teams.connector.calls[before:]
    assert sorted(call.method for call in later) == ["PUT", "PUT"]
    assert {call.path.split("/")[3] for call in later} == {P.KUDOS_CHANNEL, P.BOB_CHAT}
    assert all("withdrawn" in json.dumps(call.body) for call in later)
    async with teams.rapport.db.session() as session:
        assert (await session.exec(select(Kudos))).all() == []


def _sent_id(teams: TeamsWorld, call: Call) -> int:
    """The id the fake gave a posted activity: ids are handed out in call order."""
    return [c for c in teams.connector.calls if c.method != "GET"].index(call) + 1


async def test_unknown_verb_gets_a_friendly_answer(teams: TeamsWorld) -> None:
    assert (await teams.post(P.personal_install(teams.url, P.ANN, P.ANN_CHAT))).status == 202
    click = P.card_action(
        teams.url,
        P.ANN,
        "no.such.button",
        {"rapport_value": "x"},
        reply_to="act-1",
        chat=P.ANN_CHAT,
    )
    response = await teams.post(click)
    assert response.status == 200
    answer = await response.json()
    assert "no longer active" in json.dumps(answer["value"])
    not_execute = P.card_action(teams.url, P.ANN, "x", {}, reply_to="act-1", chat=P.ANN_CHAT)
    not_execute["value"] = {"action": {"type": "Action.Submit"}}
    refused = await teams.post(not_execute)
    assert refused.status == 400
    assert "Traceback" not in await refused.text()


async def test_personal_chat_messages_are_not_remembered(teams: TeamsWorld) -> None:
    said = P.personal_message(teams.url, P.ANN, P.ANN_CHAT, "ask anon is my manager fair?")
    assert (await teams.post(said)).status == 202
    async with teams.rapport.db.session() as session:
        assert (await session.exec(select(TeamsMessage))).all() == []


async def test_action_submit_fallback_click_is_answered_by_message(teams: TeamsWorld) -> None:
    """Clients without Universal Actions send the card's Action.Submit fallback instead: a
    message whose value names the verb. It is handled alike; the answer comes as a message."""
    await install(teams)
    assert (await teams.post(P.personal_install(teams.url, P.ANN, P.ANN_CHAT))).status == 202
    command = P.personal_message(
        teams.url, P.ANN, P.ANN_CHAT, "kudos {Bob Ray} thanks for the demo", (P.BOB,)
    )
    assert (await teams.post(command)).status == 202
    await teams.settle()
    card = card_of(teams.connector.sent(P.ANN_CHAT)[0])
    undo = next(
        action
        for item in card["body"]
        if item["type"] == "ActionSet"
        for action in item["actions"]
        if action["verb"] == "kudos.undo"
    )
    click = P.personal_message(teams.url, P.ANN, P.ANN_CHAT, "")
    del click["text"]
    click["value"] = undo["fallback"]["data"]
    assert (await teams.post(click)).status == 202
    await teams.settle()
    assert "Withdrawn: 1 kudos" in json.dumps(teams.connector.sent(P.ANN_CHAT)[-1].body)
    async with teams.rapport.db.session() as session:
        assert (await session.exec(select(Kudos))).all() == []


async def test_a_message_is_answered_in_the_language_of_its_activity(teams: TeamsWorld) -> None:
    await install(teams)
    typed = P.personal_message(teams.url, P.ANN, P.ANN_CHAT, "kudos me")
    typed["locale"] = "de-DE"
    assert (await teams.post(typed)).status == 202
    await teams.settle()
    [answer] = teams.connector.sent(P.ANN_CHAT)
    assert "Deine Kudos" in json.dumps(answer.body)

"""Forms as Adaptive Cards: opened by a command, submitted by Action.Execute, errors shown in
the card, people picked with the Teams people picker (Entra ids) resolved to Teams ids."""

import json
from typing import Any

from sqlmodel import select

from handlers.kudos.tables import Kudos
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld
from tests.adapters.teams.test_kudos import card_of, card_text


def submit_action(card: dict[str, Any]) -> dict[str, Any]:
    return next(
        action
        for item in card["body"]
        if item["type"] == "ActionSet"
        for action in item["actions"]
        if action["verb"].startswith("rapport.form:")
    )


async def test_kudos_form_round_trip(teams: TeamsWorld) -> None:
    for person, chat in ((P.ANN, P.ANN_CHAT), (P.BOB, P.BOB_CHAT)):
        assert (await teams.post(P.personal_install(teams.url, person, chat))).status == 202
    opened = await teams.post(P.personal_message(teams.url, P.ANN, P.ANN_CHAT, "kudos"))
    assert opened.status == 202
    (form_post,) = teams.connector.sent(P.ANN_CHAT)
    form = card_of(form_post)
    inputs = {item["id"]: item for item in form["body"] if item["type"].startswith("Input.")}
    assert inputs["to"]["choices.data"]["dataset"] == "graph.microsoft.com/users"
    assert inputs["reason"]["isMultiline"] is True
    submit = submit_action(form)
    assert submit["verb"] == "rapport.form:kudos.give"

    too_short = {**submit["data"], "to": P.BOB["aadObjectId"], "reason": "ta"}
    response = await teams.post(
        P.card_action(
            teams.url, P.ANN, submit["verb"], too_short, reply_to="act-1", chat=P.ANN_CHAT
        )
    )
    answer = await response.json()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    again = answer["value"]
    assert "at least 10 characters" in card_text(again)
    kept = {item["id"]: item.get("value") for item in again["body"] if "id" in item}
    assert kept["reason"] == "ta"

    good = {**submit["data"], "to": P.BOB["aadObjectId"], "reason": "ran the whole offsite"}
    response = await teams.post(
        P.card_action(teams.url, P.ANN, submit["verb"], good, reply_to="act-1", chat=P.ANN_CHAT)
    )
    answer = await response.json()
    assert "Kudos sent to <at>Bob Ray</at>" in card_text(answer["value"])
    entities = answer["value"]["msteams"]["entities"]
    assert entities[0]["mentioned"]["id"] == P.BOB["id"]
    async with teams.rapport.db.session() as session:
        (given,) = (await session.exec(select(Kudos))).all()
    assert given.reason == "ran the whole offsite"
    await teams.settle()
    assert any("You received kudos" in json.dumps(c.body) for c in teams.connector.sent(P.BOB_CHAT))
    # The confirmation went back in the invoke response, not a second time as a message.
    assert not any("Kudos sent to" in json.dumps(c.body) for c in teams.connector.sent(P.ANN_CHAT))

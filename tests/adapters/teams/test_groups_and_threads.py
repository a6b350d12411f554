"""Teams: a channel's roster, group messages (one personal chat each: bots cannot open group
chats), and an idea's discussion thread (a reply to the post's activity), against the local
Bot Connector."""

import pytest
from sqlmodel import select

from bot.contract.platform import Delivery, PermanentFailure
from bot.contract.ui import Destination, text_message
from bot.models import Interaction, Person
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld

CAT = {"id": "29:1cat-teams-id", "name": "Cat Kim", "aadObjectId": "aad-cat-0003"}


def delivery(destination: Destination, key: str, text: str = "Hello") -> Delivery:
    return Delivery(
        key=key, workspace=P.TENANT, destination=destination, message=text_message(text)
    )


async def test_channel_members_come_from_the_paged_roster_and_can_be_reached(
    teams: TeamsWorld,
) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    teams.connector.members[P.KUDOS_CHANNEL] = [P.ANN, P.BOT, P.BOB, CAT]
    platform = teams.adapter.platform

    members = await platform.channel_members(P.TENANT, "#Kudos")

    assert members == [P.ANN["id"], P.BOB["id"], CAT["id"]]
    pages = [c.path for c in teams.connector.calls if c.path.endswith("/pagedmembers")]
    # The team's own roster is asked for at install (tests/adapters/teams/test_roster.py).
    assert pages == [
        f"/v3/conversations/{P.TEAM}/pagedmembers",
        *[f"/v3/conversations/{P.KUDOS_CHANNEL}/pagedmembers"] * 2,
    ]
    # Cat never wrote to the bot, but the roster is enough to open her personal chat.
    cat = await platform.lookup_person(P.TENANT, CAT["id"])
    assert cat is not None and cat.name == "Cat Kim"
    sent = await platform.send(delivery(Destination(kind="dm", user=CAT["id"]), "k1"))
    assert sent is not None
    (created,) = teams.connector.created()
    assert created.body["members"] == [{"id": CAT["id"]}]


async def test_members_of_an_unknown_channel_are_a_permanent_failure(teams: TeamsWorld) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    with pytest.raises(PermanentFailure):
        await teams.adapter.platform.channel_members(P.TENANT, "nowhere")
    with pytest.raises(PermanentFailure):  # known by name, but the connector has no roster
        await teams.adapter.platform.channel_members(P.TENANT, "kudos")


async def test_a_group_message_reaches_each_personal_chat_and_edits_every_copy(
    teams: TeamsWorld,
) -> None:
    for person, chat in ((P.ANN, P.ANN_CHAT), (P.BOB, P.BOB_CHAT)):
        assert (await teams.post(P.personal_install(teams.url, person, chat))).status == 202
    platform = teams.adapter.platform
    group = Destination(kind="group", users=[P.ANN["id"], P.BOB["id"]])

    sent = await platform.send(delivery(group, "g1", "Meet each other"))

    assert sent is not None
    ann_copy, bob_copy = sent.split()
    assert ann_copy.startswith(f"{P.ANN_CHAT}|") and bob_copy.startswith(f"{P.BOB_CHAT}|")
    assert len(teams.connector.sent(P.ANN_CHAT)) == len(teams.connector.sent(P.BOB_CHAT)) == 1
    edit = delivery(group, "g2", "Ann accepted").model_copy(update={"edit_message_id": sent})
    assert await platform.send(edit) == sent
    assert sorted(c.path.split("/")[3] for c in teams.connector.edits()) == [
        P.ANN_CHAT,
        P.BOB_CHAT,
    ]


async def test_an_idea_thread_is_a_reply_to_the_post_and_its_comments_count(
    teams: TeamsWorld,
) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    idea = P.channel_message(
        teams.url, P.ANN, "{Rapport} idea Standing desks — for the whole floor", (P.BOT,)
    )
    assert (await teams.post(idea)).status == 202
    await teams.settle()

    (post,) = teams.connector.sent(P.IDEAS_CHANNEL)
    root = f"act-{[c for c in teams.connector.calls if c.method != 'GET'].index(post) + 1}"
    (opener,) = teams.connector.sent(f"{P.IDEAS_CHANNEL};messageid={root}")
    assert "Discuss idea #1 here" in str(opener.body)

    # In a channel the bot hears what mentions it: a reply in the thread that does.
    comment = P.channel_message(
        teams.url,
        P.BOB,
        "{Rapport} could it include the meeting rooms?",
        (P.BOT,),
        channel=P.IDEAS_CHANNEL,
        thread=root,
    )
    assert (await teams.post(comment)).status == 202
    await teams.settle()

    async with teams.rapport.db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        edges = (await session.exec(select(Interaction))).all()
    assert [
        (people[e.source_id], people[e.target_id]) for e in edges if e.kind == "idea_comment"
    ] == [(P.BOB["id"], P.ANN["id"])]

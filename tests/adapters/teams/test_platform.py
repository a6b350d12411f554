"""TeamsPlatform: proactive sends from stored references, and what Teams' refusals mean."""

import pytest
from aiohttp import ClientResponseError

from bot.contract.platform import Delivery, PermanentFailure, RateLimited
from bot.contract.ui import Destination, text_message
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld


def delivery(destination: Destination, key: str = "k1") -> Delivery:
    message = text_message("Hello <@29:1bob-teams-id>")
    return Delivery(key=key, workspace=P.TENANT, destination=destination, message=message)


async def test_dm_continues_the_stored_personal_chat(teams: TeamsWorld) -> None:
    assert (await teams.post(P.personal_install(teams.url, P.BOB, P.BOB_CHAT))).status == 202
    sent = await teams.adapter.platform.send(delivery(Destination(kind="dm", user=P.BOB["id"])))
    assert sent is not None and sent.startswith(f"{P.BOB_CHAT}|act-")
    (call,) = teams.connector.sent(P.BOB_CHAT)
    assert call.body["text"] == "Hello <at>Bob Ray</at>"
    assert call.body["entities"][0]["mentioned"] == {"id": P.BOB["id"], "name": "Bob Ray"}
    assert teams.connector.created() == []
    # A re-send of the same outbox row (its `sent` mark lost) is not posted twice.
    again = await teams.adapter.platform.send(delivery(Destination(kind="dm", user=P.BOB["id"])))
    assert again == sent and len(teams.connector.sent(P.BOB_CHAT)) == 1


async def test_channel_by_name_and_thread(teams: TeamsWorld) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    platform = teams.adapter.platform
    posted = await platform.send(delivery(Destination(kind="channel", channel="#Kudos")))
    assert posted is not None
    await platform.send(delivery(Destination(kind="thread", channel="kudos", thread=posted), "k2"))
    paths = [c.path.split("/")[3] for c in teams.connector.sent()]
    root = posted.split("|")[1]
    assert paths == [P.KUDOS_CHANNEL, f"{P.KUDOS_CHANNEL};messageid={root}"]
    with pytest.raises(PermanentFailure):
        await platform.send(delivery(Destination(kind="channel", channel="nowhere"), "k3"))
    with pytest.raises(PermanentFailure):
        await platform.send(delivery(Destination(kind="dm", user="29:never-seen"), "k4"))


async def test_refusals_become_rate_limits_permanent_or_transient_failures(
    teams: TeamsWorld,
) -> None:
    assert (await teams.post(P.personal_install(teams.url, P.BOB, P.BOB_CHAT))).status == 202
    platform = teams.adapter.platform
    dm = delivery(Destination(kind="dm", user=P.BOB["id"]))
    teams.connector.failures = [
        (429, {"Retry-After": "7"}),
        (403, {}),
        (404, {}),
        (412, {}),
        (502, {}),
    ]
    with pytest.raises(RateLimited) as limited:
        await platform.send(dm)
    assert limited.value.retry_after == 7.0
    for _ in range(2):
        with pytest.raises(PermanentFailure):
            await platform.send(dm)
    for status in (412, 502):
        with pytest.raises(ClientResponseError) as transient:
            await platform.send(dm)
        assert transient.value.status == status
    assert await platform.send(dm) is not None


async def test_lookup_person_knows_whoever_was_seen(teams: TeamsWorld) -> None:
    mention = P.channel_message(teams.url, P.ANN, "hello {Bob Ray}", (P.BOB,))
    assert (await teams.post(mention)).status == 202
    platform = teams.adapter.platform
    bob = await platform.lookup_person(P.TENANT, P.BOB["id"])
    assert bob is not None and bob.name == "Bob Ray"
    assert await platform.lookup_person(P.TENANT, "29:nobody") is None


async def test_a_channel_created_later_is_known_by_its_name(teams: TeamsWorld) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    shoutouts = "19:shoutouts@thread.tacv2"
    created = P.channel_created(teams.url, P.ANN, shoutouts, "shoutouts")
    assert (await teams.post(created)).status == 202
    platform = teams.adapter.platform
    await platform.send(delivery(Destination(kind="channel", channel="shoutouts"), "s1"))
    await platform.send(delivery(Destination(kind="channel", channel="General"), "s2"))
    assert [c.path.split("/")[3] for c in teams.connector.sent()] == [shoutouts, P.TEAM]

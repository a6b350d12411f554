"""A Slack message posted by a sender that died before marking it sent is not posted again
by the replica that takes the expired claim over: it finds the post by its outbox key."""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.platform import SlackPlatform
from bot.contract.ui import Destination
from bot.delivery.outbox import SendReport
from bot.kit.people import ensure_workspace
from tests.replicas.slack_api import TOKEN, SlackApi
from tests.test_outbox import World, world  # noqa: F401  (the outbox test world)


@pytest.fixture
async def slack_api() -> AsyncIterator[SlackApi]:
    api = SlackApi()
    await api.start()
    yield api
    await api.close()


def new_process(api: SlackApi) -> SlackPlatform:
    """The Slack platform as a freshly started replica has it: nothing remembered."""
    return SlackPlatform(AsyncWebClient(token=TOKEN, base_url=api.api_url))


async def test_a_post_that_landed_before_its_sender_died_is_not_posted_again(
    world: World,  # noqa: F811
    slack_api: SlackApi,
) -> None:
    async with world.db.session() as session:
        workspace = await ensure_workspace(session, "slack", "T9", "Acme", world.clock.now())
    landed, lost = [
        (await world.write(text, destination=dm, workspace_id=workspace.id, prefix=text))[0]
        for text, dm in (
            ("landed", Destination(kind="dm", user="U1")),
            ("lost", Destination(kind="dm", user="U2")),
        )
    ]
    dying = new_process(slack_api)
    claimed = await world.sender("dying", slack=dying).claim(10)
    assert [c.delivery.key for c in claimed] == [landed, lost]
    first_id = await dying.send(claimed[0].delivery)  # then the process is killed

    world.clock.advance(timedelta(seconds=world.settings.outbox_lease_seconds))
    survivor = world.sender("survivor", slack=new_process(slack_api))
    assert await survivor.drain() == SendReport(sent=2)
    assert slack_api.per_channel() == {"DU1": 1, "DU2": 1}
    assert (await world.row(landed)).platform_message_id == first_id
    assert slack_api.calls["conversations.history"] == 2  # only for the two uncertain claims

    # An ordinary send asks nothing first.
    [fresh] = await world.write(
        "fresh", destination=Destination(kind="dm", user="U3"), workspace_id=workspace.id
    )
    assert await survivor.drain() == SendReport(sent=1)
    assert slack_api.calls["conversations.history"] == 2
    assert (await world.row(fresh)).status == "sent"

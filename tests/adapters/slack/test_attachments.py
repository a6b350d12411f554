"""Files on Slack messages: files_upload_v2 (upload URL, upload, complete) against the fake."""

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.platform import SlackPlatform
from bot.contract.platform import Delivery
from bot.contract.ui import Attachment, Destination, Message
from tests.adapters.slack.conftest import GENERAL
from tests.adapters.slack.fake_slack import TEAM, FakeSlack

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
EXPORT = Attachment(name="my-data.json", media_type="application/json", data=b'{"a": 1}')
CHART = Attachment(name="trend.png", media_type="image/png", data=PNG)


@pytest.fixture
async def platform(fake_slack: FakeSlack) -> AsyncIterator[SlackPlatform]:
    yield SlackPlatform(AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url))


def delivery(key: str, destination: Destination, *files: Attachment) -> Delivery:
    message = Message(text="Here you are", attachments=list(files))
    return Delivery(key=key, workspace=TEAM, destination=destination, message=message)


async def test_files_follow_the_message_into_the_dm(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    sent = await platform.send(delivery("k1", Destination(kind="dm", user="U0ANN"), EXPORT, CHART))
    assert sent is not None and sent.startswith("DU0ANN:")
    shared = fake_slack.shared("DU0ANN")
    assert [(f["filename"], f["data"]) for f in shared] == [
        ("my-data.json", b'{"a": 1}'),
        ("trend.png", PNG),
    ]
    assert fake_slack.methods()[-3:] == [
        "files.getUploadURLExternal",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]


async def test_a_file_for_an_ephemeral_reply_goes_by_dm_never_to_the_channel(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    destination = Destination(kind="ephemeral", channel=GENERAL, user="U0BOB")
    assert await platform.send(delivery("k1", destination, CHART)) is None
    assert fake_slack.ok("chat.postEphemeral")[0]["user"] == "U0BOB"
    assert fake_slack.shared(GENERAL) == []
    assert [f["data"] for f in fake_slack.shared("DU0BOB")] == [PNG]


async def test_channel_posts_share_files_in_the_channel_and_buckets_name_the_upload(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    posted = delivery("k1", Destination(kind="channel", channel="general"), CHART)
    assert f"{TEAM}:files.completeUploadExternal" in platform.buckets(posted)
    assert await platform.send(posted) is not None
    assert [f["title"] for f in fake_slack.shared(GENERAL)] == ["trend.png"]
    plain = delivery("k2", Destination(kind="channel", channel="general"))
    assert platform.buckets(plain) == [f"{TEAM}:chat.postMessage"]

"""Files on Discord messages: discord.File parts of a multipart send, against the fake API."""

import json
import secrets

from bot.contract.ui import Attachment, Destination, Message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from tests.adapters.discord import payloads
from tests.adapters.discord.conftest import ANN, BOB, KUDOS_ID, Harness
from tests.adapters.discord.fake_discord import APP_ID, GUILD_ID

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
EXPORT = Attachment(name="my-data.json", media_type="application/json", data=b'{"a": 1}')
CHART = Attachment(name="trend.png", media_type="image/png", data=PNG)


async def queue(harness: Harness, destination: Destination, *files: Attachment) -> None:
    bot = harness.assembly.bot
    async with bot.db.session() as session:
        workspace = await ensure_workspace(session, "discord", GUILD_ID, "Acme", bot.clock.now())
        writer = OutboxWriter(session, workspace, f"test:{secrets.token_hex(4)}", bot.clock.now())
        writer.add(destination, Message(text="Here you are", attachments=list(files)))


async def test_a_dm_carries_its_files(harness: Harness) -> None:
    await queue(harness, Destination(kind="dm", user=BOB["id"]), EXPORT, CHART)
    await harness.settle()
    [sent] = [c for c in harness.fake.calls if c.files]
    assert sent.json["content"] == "Here you are"
    assert [(f["filename"], f["data"]) for f in sent.files] == [
        ("my-data.json", b'{"a": 1}'),
        ("trend.png", PNG),
    ]
    assert [a["filename"] for a in sent.json["attachments"]] == ["my-data.json", "trend.png"]


async def test_a_channel_post_carries_its_chart_and_plain_posts_stay_json(
    harness: Harness,
) -> None:
    await queue(harness, Destination(kind="channel", channel="kudos"), CHART)
    await queue(harness, Destination(kind="channel", channel="kudos"))
    await harness.settle()
    with_file, plain = harness.fake.find("POST", f"/channels/{KUDOS_ID}/messages")
    assert [f["data"] for f in with_file.files] == [PNG]
    assert plain.files == [] and plain.json["content"] == "Here you are"


async def test_my_data_by_slash_command_arrives_as_a_file_by_dm(harness: Harness) -> None:
    command = payloads.slash_command(
        ANN, "rapport", [{"name": "text", "type": 3, "value": "my-data"}]
    )
    harness.feed("INTERACTION_CREATE", command)
    callback = f"/interactions/{command['id']}/{command['token']}/callback"
    await harness.until(lambda: harness.fake.find("POST", callback), "the acknowledgement")
    await harness.settle()
    [reply] = harness.fake.find("POST", f"/webhooks/{APP_ID}/{command['token']}")
    assert "I've sent you a DM" in reply.json["content"]
    [dm] = [c for c in harness.fake.calls if c.files]
    assert dm.path == f"/channels/82{ANN['id'][2:]}/messages"
    (file,) = dm.files
    assert file["filename"].startswith("rapport-my-data-")
    assert json.loads(file["data"])["profile"]["display_name"] == "Ann"

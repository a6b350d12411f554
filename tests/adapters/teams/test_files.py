"""Files on Teams messages: images inline as data URIs; other files by a file consent card,
uploaded to the URL Teams gives once the person accepts."""

import base64
import secrets
from typing import Any

from bot.contract.ui import Attachment, Destination, Message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
EXPORT = Attachment(name="my-data.json", media_type="application/json", data=b'{"a": 1}')
CHART = Attachment(name="trend.png", media_type="image/png", data=PNG)


async def queue(teams: TeamsWorld, destination: Destination, *files: Attachment) -> str:
    bot = teams.rapport.bot
    async with bot.db.session() as session:
        workspace = await ensure_workspace(session, "teams", P.TENANT, "Acme", bot.clock.now())
        writer = OutboxWriter(session, workspace, f"test:{secrets.token_hex(4)}", bot.clock.now())
        key = writer.add(destination, Message(text="Here you are", attachments=list(files)))
    await teams.settle()
    return key


def consent(
    teams: TeamsWorld, action: str, context: dict[str, Any], who: dict[str, str] = P.BOB
) -> dict[str, Any]:
    activity = P._personal(teams.url, who, P.BOB_CHAT)
    activity.update(
        type="invoke",
        name="fileConsent/invoke",
        value={
            "type": "fileUpload",
            "action": action,
            "context": context,
            "uploadInfo": {
                "contentUrl": "https://acme-my.sharepoint.test/personal/bob/my-data.json",
                "name": "my-data.json",
                "uploadUrl": teams.connector.upload_url("u1"),
                "uniqueId": "1150D938-8870-4044-9F2C-5BBDEBA70C8C",
                "fileType": "json",
            },
        },
    )
    return activity


async def test_a_dm_shows_images_inline_and_offers_other_files(teams: TeamsWorld) -> None:
    assert (await teams.post(P.personal_install(teams.url, P.BOB, P.BOB_CHAT))).status == 202
    key = await queue(teams, Destination(kind="dm", user=P.BOB["id"]), CHART, EXPORT)
    (call,) = teams.connector.sent(P.BOB_CHAT)
    image, card = call.body["attachments"]
    assert image["contentType"] == "image/png"
    assert image["contentUrl"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert card["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    assert card["name"] == "my-data.json"
    assert card["content"]["sizeInBytes"] == 8
    assert card["content"]["acceptContext"] == {"key": key, "file": 1}

    response = await teams.post(consent(teams, "decline", {"key": key, "file": 1}))
    assert response.status == 200 and teams.connector.uploads == {}

    # Only the person the file was offered to can have it uploaded.
    response = await teams.post(consent(teams, "accept", {"key": key, "file": 1}, P.ANN))
    assert response.status == 200 and teams.connector.uploads == {}
    response = await teams.post(consent(teams, "accept", {"key": key, "file": 1}))
    assert response.status == 200
    assert teams.connector.uploads == {"u1": ("bytes 0-7/8", b'{"a": 1}')}
    shown = teams.connector.sent(P.BOB_CHAT)[-1].body["attachments"][0]
    assert shown["contentType"] == "application/vnd.microsoft.teams.card.file.info"
    assert shown["contentUrl"].endswith("/my-data.json")
    assert shown["content"]["fileType"] == "json"


async def test_a_consent_for_a_file_no_longer_held_says_so(teams: TeamsWorld) -> None:
    assert (await teams.post(P.personal_install(teams.url, P.BOB, P.BOB_CHAT))).status == 202
    response = await teams.post(consent(teams, "accept", {"key": "gone:0", "file": 0}))
    assert response.status == 200 and teams.connector.uploads == {}
    assert "no longer available" in teams.connector.sent(P.BOB_CHAT)[-1].body["text"]


async def test_channels_get_images_but_no_consent_card(teams: TeamsWorld) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    await queue(teams, Destination(kind="channel", channel="kudos"), CHART, EXPORT)
    (call,) = teams.connector.sent(P.KUDOS_CHANNEL)
    assert [a["contentType"] for a in call.body["attachments"]] == ["image/png"]

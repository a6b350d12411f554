"""Files on messages: through the outbox (base64 in JSON) to the local platform's transcript."""

import base64
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from adapters.local.platform import LocalPlatform, render
from bot.contract.errors import UserError
from bot.contract.ui import Attachment, Destination, Message
from bot.delivery.outbox import ATTACHMENT_LIMIT_BYTES, OutboxWriter, Sender
from bot.kit.i18n import speaking
from bot.kit.people import ensure_workspace
from bot.models import OutboxMessage, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
BINARY = bytes(range(256)) * 4


def test_attachment_bytes_travel_as_base64_in_json() -> None:
    message = Message(
        text="here", attachments=[Attachment(name="a.bin", media_type="x/y", data=BINARY)]
    )
    as_json = message.model_dump(mode="json")
    assert isinstance(as_json["attachments"][0]["data"], str)
    assert Message.model_validate(as_json).attachments[0].data == BINARY
    assert message.model_dump()["attachments"][0]["data"] == BINARY


async def test_outbox_delivers_the_file_and_refuses_one_too_big(db: Database) -> None:
    clock = VirtualClock(START)
    platform = LocalPlatform(users={})
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "T1", "Acme", clock.now())
    file = Attachment(name="export.json", media_type="application/json", data=BINARY)
    huge = Attachment(name="huge.bin", media_type="x/y", data=b"0" * (ATTACHMENT_LIMIT_BYTES + 1))
    async with db.session() as session:
        found = await session.get(Workspace, workspace.id)
        assert found is not None
        writer = OutboxWriter(session, found, "t", clock.now())
        writer.add(
            Destination(kind="channel", channel="general"), Message(text="hi", attachments=[file])
        )
        with pytest.raises(UserError, match="too big"):
            writer.add(
                Destination(kind="channel", channel="general"),
                Message(text="no", attachments=[huge]),
            )
        with speaking("fr"), pytest.raises(UserError, match=r"trop lourd .*8,0 Mo ; la limite"):
            writer.add(
                Destination(kind="channel", channel="general"),
                Message(text="non", attachments=[huge]),
            )
        assert writer.keys == ["t:0"]
    async with db.session() as session:
        row = (await session.exec(select(OutboxMessage))).one()
        assert row.message["attachments"][0]["data"] == base64.b64encode(BINARY).decode()
    settings = Settings(_env_file=None, database_url=db.url)
    report = await Sender(db, {"local": platform}, clock, settings, "a").drain()
    assert report.sent == 1
    assert platform.posted["m1"].message.attachments[0].data == BINARY
    assert "[file: export.json (application/json, 1024 bytes)]" in platform.lines[0]
    assert render(platform.posted["m1"].message).startswith("hi")

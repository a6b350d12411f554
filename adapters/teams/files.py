"""Files on Teams messages.

Images travel inline, as a base64 data URI on an image attachment, which Teams shows in the
message itself. Other files (an export, a CSV) go the way the Teams bot API offers in personal
chats: a file consent card asks the person; when they accept, Teams answers with an upload
URL in their OneDrive, the bot uploads the bytes there and posts a file info card. The bytes
wait in the outbox row the card came from (its key and the file's index are the card's
context), so nothing is kept apart for it. Channels and group chats take images only.
"""

import base64
import logging
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientSession
from microsoft_agents.activity import Attachment as CardAttachment
from sqlmodel import select

from bot.contract.ui import Attachment, Message
from bot.models import OutboxMessage
from bot.store.db import Database

log = logging.getLogger(__name__)

CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
CONSENT_INVOKE = "fileConsent/invoke"


def attachments(message: Message, key: str, personal: bool) -> list[CardAttachment]:
    """What to add to the activity for the message's files."""
    found = []
    for index, file in enumerate(message.attachments):
        if file.is_image:
            found.append(_inline_image(file))
        elif personal:
            found.append(_consent_card(file, key, index))
        else:
            log.warning("%s: Teams channels take no files but images; %s left out", key, file.name)
    return found


def _inline_image(file: Attachment) -> CardAttachment:
    encoded = base64.b64encode(file.data).decode("ascii")
    return CardAttachment(
        content_type=file.media_type,
        content_url=f"data:{file.media_type};base64,{encoded}",
        name=file.name,
    )


def _consent_card(file: Attachment, key: str, index: int) -> CardAttachment:
    context = {"key": key, "file": index}
    return CardAttachment(
        content_type=CONSENT_CARD,
        name=file.name,
        content={
            "description": f"{file.name} ({file.media_type})",
            "sizeInBytes": len(file.data),
            "acceptContext": context,
            "declineContext": context,
        },
    )


@dataclass(frozen=True)
class Consent:
    """A person's answer to a file consent card."""

    accepted: bool
    key: str
    index: int
    upload: dict[str, Any]

    @classmethod
    def parse(cls, value: Any) -> "Consent | None":
        if not isinstance(value, dict):
            return None
        context = value.get("context") or {}
        if not isinstance(context, dict) or not isinstance(context.get("file"), int):
            return None
        upload = value.get("uploadInfo") or {}
        return cls(
            value.get("action") == "accept",
            str(context.get("key", "")),
            context["file"],
            upload if isinstance(upload, dict) else {},
        )


async def stored_file(db: Database, key: str, index: int, user: str) -> Attachment | None:
    """The file as the outbox row that offered it to `user` holds it; None once that row is
    gone, or if it was never meant for them."""
    async with db.session() as session:
        row = (await session.exec(select(OutboxMessage).where(OutboxMessage.key == key))).first()
    if row is None or row.destination.get("user") != user:
        return None
    files = Message.model_validate(row.message).attachments
    return files[index] if 0 <= index < len(files) else None


async def upload(upload_url: str, data: bytes) -> None:
    """One PUT of the whole file to the OneDrive upload session Teams opened."""
    headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
    async with (
        ClientSession() as session,
        session.put(upload_url, data=data, headers=headers) as response,
    ):
        response.raise_for_status()


def info_card(upload: dict[str, Any]) -> CardAttachment:
    """The uploaded file, shown in the chat."""
    return CardAttachment(
        content_type=INFO_CARD,
        content_url=upload.get("contentUrl"),
        name=upload.get("name"),
        content={"uniqueId": upload.get("uniqueId"), "fileType": upload.get("fileType")},
    )

"""Outbound UI: a neutral message that every adapter renders natively, and where it goes."""

import base64
from typing import Any, Literal

from pydantic import BaseModel, Field, FieldSerializationInfo, field_serializer, field_validator


class Button(BaseModel):
    action_id: str
    label: str
    value: str = ""
    style: Literal["primary", "danger"] | None = None


class Option(BaseModel):
    value: str
    label: str


class Select(BaseModel):
    action_id: str
    placeholder: str
    options: list[Option]


class Section(BaseModel):
    type: Literal["section"] = "section"
    text: str
    fields: list[str] = Field(default_factory=list)


class Actions(BaseModel):
    type: Literal["actions"] = "actions"
    elements: list[Button | Select]


class Image(BaseModel):
    type: Literal["image"] = "image"
    url: str
    alt: str


class Context(BaseModel):
    """Small print under a message: tags, hints, timestamps."""

    type: Literal["context"] = "context"
    texts: list[str]


class Header(BaseModel):
    """A message's title, in large type where the platform has it."""

    type: Literal["header"] = "header"
    text: str


class Divider(BaseModel):
    """A line between parts of a message."""

    type: Literal["divider"] = "divider"


Block = Section | Actions | Image | Context | Header | Divider


class Input(BaseModel):
    name: str
    label: str
    kind: Literal["text", "textarea", "users", "select", "number"] = "text"
    options: list[Option] = Field(default_factory=list)
    required: bool = True
    placeholder: str = ""
    initial: str = ""
    max_length: int | None = None


class Form(BaseModel):
    """A modal form (Slack modal, Adaptive Card inputs, Discord modal)."""

    form_id: str
    title: str
    inputs: list[Input]
    submit_label: str = "Submit"
    metadata: str = ""


class Attachment(BaseModel):
    """A file sent with a message: an export, a chart.

    In JSON (the outbox stores messages as JSON) `data` travels as base64; in Python it is bytes.
    """

    name: str
    media_type: str
    data: bytes

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @field_validator("data", mode="before")
    @classmethod
    def _from_base64(cls, value: Any) -> Any:
        return base64.b64decode(value, validate=True) if isinstance(value, str) else value

    @field_serializer("data")
    def _to_base64(self, data: bytes, info: FieldSerializationInfo) -> bytes | str:
        return base64.b64encode(data).decode("ascii") if info.mode_is_json() else data


class Message(BaseModel):
    """Text is the fallback every client can show; blocks are the rich layout.

    Text may contain neutral mentions `<@platform_user_id>`; every other `<`/`>` has been
    neutralised (see bot.kit.safety) before it gets here.
    """

    text: str
    blocks: list[Block] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)

    def action_ids(self) -> list[str]:
        return [
            element.action_id
            for block in self.blocks
            if isinstance(block, Actions)
            for element in block.elements
        ]


class Destination(BaseModel):
    """Where a message goes.

    channel: a public post; dm: a direct message to `user`; thread: a reply under `thread`
    in `channel`; ephemeral: visible to `user` only, in `channel` (a DM where the platform
    cannot do ephemeral messages); home: the bot's own page for `user` (Slack's App Home
    tab), replaced whole each time; group: one conversation with all of `users` (a group DM;
    one DM each where the platform does not let a bot open group DMs).

    `thread_of` names, by outbox key, a message of ours to reply under: the outbox fills in
    `thread` with that message's platform id once it has been sent.

    `replaces` names, by platform message id, a message of ours to replace in place: the card
    an interaction came from (Context.replace), known by the platform's id only, since the
    outbox may have kept no row of it.
    """

    kind: Literal["channel", "dm", "thread", "ephemeral", "group", "home"]
    channel: str = ""
    user: str = ""
    users: list[str] = Field(default_factory=list)
    thread: str = ""
    thread_of: str = ""
    replaces: str = ""
    reply_token: str | None = None


def mention(platform_user_id: str) -> str:
    return f"<@{platform_user_id}>"


def text_message(text: str, *blocks: Block) -> Message:
    return Message(text=text, blocks=[Section(text=text), *blocks] if blocks else [])

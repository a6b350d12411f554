"""A platform that lives in memory and prints what the bot says."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.contract.events import Actor
from bot.contract.platform import Delivery, PermanentFailure
from bot.contract.ui import (
    Actions,
    Button,
    Context,
    Divider,
    Header,
    Image,
    Message,
    Section,
    Select,
)

_MENTION = re.compile(r"<@([A-Za-z0-9_.:\-]+)>")


@dataclass
class Posted:
    message_id: str
    where: str
    message: Message
    author: str = "rapport"


@dataclass
class LocalPlatform:
    """Everything shown is kept in `lines` (and echoed); like Discord's nonces, a key seen
    before is not shown twice, which is what makes outbox re-sends after a crash invisible."""

    echo: Callable[[str], None] | None = None
    name: str = "local"
    lines: list[str] = field(default_factory=list)
    users: dict[str, Actor] = field(default_factory=dict)
    posted: dict[str, Posted] = field(default_factory=dict)
    sends: list[Delivery] = field(default_factory=list)
    delivered_keys: dict[str, str] = field(default_factory=dict)
    fail_next: list[Exception] = field(default_factory=list)
    channels: dict[str, set[str]] = field(default_factory=dict)
    instant_sends: bool = True

    def emit(self, line: str) -> None:
        self.lines.append(line)
        if self.echo is not None:
            self.echo(line)

    def next_message_id(self) -> str:
        return f"m{len(self.posted) + 1}"

    async def send(self, delivery: Delivery) -> str | None:
        self.sends.append(delivery)
        if self.fail_next:
            raise self.fail_next.pop(0)
        if delivery.key in self.delivered_keys:
            return self.delivered_keys[delivery.key]
        where = describe(delivery)
        destination = delivery.destination
        if destination.kind == "dm" and destination.user not in self.users:
            raise PermanentFailure(f"no such user {destination.user!r}")
        if destination.kind == "group" and not set(destination.users) <= set(self.users):
            raise PermanentFailure(f"no such users {destination.users!r}")
        if delivery.edit_message_id:
            message_id = delivery.edit_message_id
            self.posted[message_id].message = delivery.message
            self.emit(f"[edit {message_id}] {render(delivery.message)}")
        else:
            message_id = self.next_message_id()
            self.posted[message_id] = Posted(message_id, where, delivery.message)
            self.emit(f"[{where}] ({message_id}) {render(delivery.message)}")
        self.delivered_keys[delivery.key] = message_id
        return message_id

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        return self.users.get(user_id)

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        members = self.channels.get(channel.lstrip("#"))
        if members is None:
            raise PermanentFailure(f"no channel #{channel.lstrip('#')}")
        return sorted(m for m in members if not (m in self.users and self.users[m].is_bot))

    def join(self, channel: str, user: str) -> None:
        self.channels.setdefault(channel.lstrip("#"), set()).add(user)


def describe(delivery: Delivery) -> str:
    destination = delivery.destination
    match destination.kind:
        case "dm":
            return f"dm @{destination.user}"
        case "group":
            return "group dm " + " ".join(f"@{user}" for user in destination.users)
        case "ephemeral":
            return f"only @{destination.user} sees, in #{destination.channel}"
        case "thread":
            return f"thread {destination.thread} in #{destination.channel}"
        case "home":
            return f"home page of @{destination.user}"
        case _:
            return f"#{destination.channel}"


def plain(text: str) -> str:
    return _MENTION.sub(lambda m: "@" + m.group(1), text)


def render(message: Message) -> str:
    """The message as console lines, block by block in order: a header after "# ", sections'
    text (the message's text when it has neither) with their fields, dividers, small print,
    images and clickable actions."""
    has_sections = any(isinstance(b, Section | Header) for b in message.blocks)
    lines = [] if has_sections else [plain(message.text)]
    for block in message.blocks:
        if isinstance(block, Header):
            lines.append(f"# {plain(block.text)}")
        elif isinstance(block, Divider):
            lines.append("  ───")
        elif isinstance(block, Section):
            lines.extend([plain(block.text)] if block.text else [])
            lines.extend("  " + plain(f) for f in block.fields)
        elif isinstance(block, Context):
            lines.append("  " + " · ".join(plain(t) for t in block.texts))
        elif isinstance(block, Image):
            lines.append(f"  [image: {block.alt}] {block.url}")
        elif isinstance(block, Actions):
            lines.extend("    " + _element(e) for e in block.elements)
    lines.extend(
        f"  [file: {a.name} ({a.media_type}, {len(a.data)} bytes)]" for a in message.attachments
    )
    return "\n".join(lines)


def _element(element: Button | Select) -> str:
    if isinstance(element, Button):
        return f"[{element.label}] {element.action_id} {element.value}".rstrip()
    options = ", ".join(o.value for o in element.options)
    return f"[{element.placeholder} ▾] {element.action_id} <{options}>"

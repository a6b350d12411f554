"""Inbound events: what any platform adapter turns its payloads into."""

import re
from typing import Literal

from pydantic import BaseModel, Field

MENTION = re.compile(r"<@([A-Za-z0-9_.:\-]+)>")


class Actor(BaseModel):
    """Someone acting on a platform, with whatever profile the payload carried."""

    id: str
    name: str = ""
    timezone: str | None = None
    email: str | None = None
    is_bot: bool = False
    # Whether the platform counts them among the workspace's admins or owners, where it says
    # so for a workspace the installer may never have seen (Slack Enterprise Grid): only such
    # a person then becomes a new workspace's first admin. None: the platform does not say.
    platform_admin: bool | None = None
    # The language the platform shows them (Slack profile locale, Teams activity locale,
    # Discord interaction locale), as the platform writes it: `fr-FR`, `de`, `en-US`.
    locale: str | None = None


class Event(BaseModel):
    """Fields shared by every inbound event.

    `event_id` is the platform's own id for the delivery (Slack event id, Teams activity id,
    Discord interaction id) so that a retried delivery can be recognised and ignored.
    `thread` names the thread an event happened in by its first message, in the form the
    platform returns when the bot sends a message (so it compares with an outbox row's
    `platform_message_id`, and works as a thread destination).
    """

    event_id: str
    platform: str
    workspace: str
    workspace_name: str = ""
    actor: Actor
    channel: str = ""
    is_dm: bool = False
    thread: str | None = None
    reply_token: str | None = Field(
        default=None, description="Platform handle to answer this very interaction."
    )


class Command(Event):
    """A slash command (`/kudos ...`) or its equivalent typed to the bot.

    `text` holds mentions in the neutral form `<@platform_user_id>`.
    """

    kind: Literal["command"] = "command"
    name: str
    text: str = ""
    trigger_id: str | None = None

    def mentions(self) -> list[str]:
        return MENTION.findall(self.text)


class Message(Event):
    kind: Literal["message"] = "message"
    message_id: str
    text: str
    mentions_bot: bool = False


class Reaction(Event):
    """`actor` reacted with `emoji` (a name without colons) to a message by `message_author`."""

    kind: Literal["reaction"] = "reaction"
    emoji: str
    message_id: str
    message_author: str
    message_text: str = ""


class Action(Event):
    """A click on a button or a choice in a select."""

    kind: Literal["action"] = "action"
    action_id: str
    value: str = ""
    message_id: str | None = None
    trigger_id: str | None = None


class FormSubmit(Event):
    """A submitted form. `message_id` is the message whose button opened it, where the
    platform tells: the card to update once the form is answered."""

    kind: Literal["form"] = "form"
    form_id: str
    values: dict[str, str | list[str]] = Field(default_factory=dict)
    metadata: str = ""
    message_id: str | None = None


class MessageAction(Event):
    """A named action taken on someone's message from the message's own menu (a Slack message
    shortcut, a Teams message action, a Discord message command), e.g. "make this an idea"."""

    kind: Literal["message_action"] = "message_action"
    name: str
    message_id: str
    message_author: str
    message_text: str = ""
    trigger_id: str | None = None


class HomeOpened(Event):
    """The actor opened the bot's own page (Slack's App Home): time to show them their
    overview, sent to a Destination of kind "home"."""

    kind: Literal["home"] = "home"


AnyEvent = Command | Message | Reaction | Action | FormSubmit | MessageAction | HomeOpened

"""Slack payloads as bot.contract.events.

Every event carries an id that a redelivery of the same thing repeats: Events API deliveries
have `event_id` (a retry sends it again with X-Slack-Retry-Num); slash commands and
interactions have a `trigger_id`, unique to the click or the command.
"""

import json
from collections.abc import Collection, Mapping
from typing import Any

from adapters.slack.blocks import ACTION_SUFFIX
from adapters.slack.mrkdwn import from_input, from_slack
from bot.contract.events import (
    Action,
    Actor,
    Command,
    FormSubmit,
    HomeOpened,
    Message,
    MessageAction,
    Reaction,
)

PLATFORM = "slack"
# Message shortcuts are declared in manifest.yml as rapport_<name>; the bot knows them as <name>.
SHORTCUT_PREFIX = "rapport_"

Payload = Mapping[str, Any]


def message_id(channel: str, ts: str) -> str:
    """Slack needs both to find a message again (chat.update), so the id holds both."""
    return f"{channel}:{ts}"


def team_id(body: Payload) -> str:
    team = body.get("team")
    if isinstance(team, dict):
        return str(team.get("id", ""))
    return str(body.get("team_id") or team or body.get("user", {}).get("team_id", ""))


def _team_name(body: Payload) -> str:
    team = body.get("team")
    if isinstance(team, dict):
        return str(team.get("domain", ""))
    return str(body.get("team_domain", ""))


def _base(body: Payload, event_id: str, actor: Actor, channel: str) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "platform": PLATFORM,
        "workspace": team_id(body),
        "workspace_name": _team_name(body),
        "actor": actor,
        "channel": channel,
        "is_dm": channel.startswith("D"),
    }


def command_event(body: Payload, actor: Actor, names: Mapping[str, str]) -> Command:
    """A slash command; `names` maps Slack's command names to the bot's."""
    slack_name = str(body["command"]).lstrip("/").lower()
    return Command(
        **_base(body, f"command:{body['trigger_id']}", actor, str(body.get("channel_id", ""))),
        name=names.get(slack_name, slack_name),
        text=from_slack(str(body.get("text", ""))).strip(),
        trigger_id=str(body["trigger_id"]),
        reply_token=body.get("response_url"),
    )


def _typed(
    body: Payload, event: Payload, actor: Actor, text: str, commands: Collection[str]
) -> Command | Message:
    """A message typed to the bot: a command when its first word names one, as on the
    local platform (`kudos @ann thanks`), else a plain message."""
    channel = str(event["channel"])
    base = _base(body, str(body["event_id"]), actor, channel)
    if event.get("thread_ts"):
        base["thread"] = message_id(channel, str(event["thread_ts"]))
    first, _, rest = text.strip().partition(" ")
    name = first.lstrip("/").lower()
    if name in commands:
        return Command(**base, name=name, text=rest.strip())
    return Message(
        **base,
        message_id=message_id(channel, str(event["ts"])),
        text=text,
        mentions_bot=event.get("type") == "app_mention",
    )


def direct_message(body: Payload, actor: Actor, commands: Collection[str]) -> Command | Message:
    event = body["event"]
    return _typed(body, event, actor, from_slack(str(event.get("text", ""))), commands)


def mention(
    body: Payload, actor: Actor, bot_user_id: str, commands: Collection[str]
) -> Command | Message:
    """`@rapport kudos @ann thanks`: the bot's own mention is not part of what was said."""
    event = body["event"]
    text = from_slack(str(event.get("text", ""))).replace(f"<@{bot_user_id}>", " ")
    return _typed(body, event, actor, " ".join(text.split()), commands)


def thread_reply(body: Payload, actor: Actor) -> Message:
    """A reply in a channel thread, for features that follow threads of their own (an idea's
    discussion): always a plain message, whatever its first word."""
    event = body["event"]
    channel = str(event["channel"])
    return Message(
        **_base(body, str(body["event_id"]), actor, channel),
        thread=message_id(channel, str(event["thread_ts"])),
        message_id=message_id(channel, str(event["ts"])),
        text=from_slack(str(event.get("text", ""))),
    )


def is_thread_reply(event: Payload) -> bool:
    thread = event.get("thread_ts")
    return bool(thread) and thread != event.get("ts")


def reaction_event(body: Payload, actor: Actor, author: str, text: str) -> Reaction:
    event = body["event"]
    item = event["item"]
    channel = str(item["channel"])
    return Reaction(
        **_base(body, str(body["event_id"]), actor, channel),
        emoji=str(event["reaction"]),
        message_id=message_id(channel, str(item["ts"])),
        message_author=author,
        message_text=from_slack(text),
    )


def home_opened(body: Payload, actor: Actor) -> HomeOpened:
    event = body["event"]
    return HomeOpened(**_base(body, str(body["event_id"]), actor, str(event.get("channel", ""))))


def message_action(body: Payload, actor: Actor) -> MessageAction:
    """A message shortcut (the message's "More actions" menu) on someone's message."""
    channel = str(body.get("channel", {}).get("id", ""))
    message = body.get("message", {})
    trigger = str(body["trigger_id"])
    return MessageAction(
        **_base(body, f"message_action:{trigger}", actor, channel),
        name=str(body["callback_id"]).removeprefix(SHORTCUT_PREFIX),
        message_id=message_id(channel, str(message.get("ts") or body.get("message_ts", ""))),
        message_author=str(message.get("user") or ""),
        message_text=from_slack(str(message.get("text") or "")),
        trigger_id=trigger,
        reply_token=body.get("response_url"),
    )


def _action_value(action: Payload) -> str:
    if "selected_option" in action:
        return str((action["selected_option"] or {}).get("value", ""))
    return str(action.get("value", ""))


def action_events(body: Payload, actor: Actor) -> list[Action]:
    """One event per action in a block_actions payload (Slack sends one in practice)."""
    container = body.get("container", {})
    channel = str(body.get("channel", {}).get("id") or container.get("channel_id", ""))
    ts = container.get("message_ts")
    actions = body.get("actions", [])
    trigger = str(body["trigger_id"])
    return [
        Action(
            **_base(body, f"action:{trigger}:{index}", actor, channel),
            action_id=ACTION_SUFFIX.sub("", str(action["action_id"])),
            value=_action_value(action),
            message_id=message_id(channel, str(ts)) if channel and ts else None,
            trigger_id=trigger,
            reply_token=body.get("response_url"),
        )
        for index, action in enumerate(actions)
    ]


def _input_value(element: Payload) -> str | list[str]:
    match element.get("type"):
        case "multi_users_select":
            return [str(u) for u in element.get("selected_users") or []]
        case "users_select":
            return str(element.get("selected_user") or "")
        case "static_select":
            return str((element.get("selected_option") or {}).get("value", ""))
        case "multi_static_select":
            return [str(o["value"]) for o in element.get("selected_options") or []]
        case _:
            return from_input(str(element.get("value") or ""))


def _private(view: Payload) -> dict[str, Any]:
    """What blocks.modal put in `private_metadata`: the form's metadata and its channel."""
    try:
        private = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return private if isinstance(private, dict) else {}


def form_origin(view: Payload) -> tuple[str, str]:
    """The channel a form was opened from, and the message whose button opened it ("" if
    none)."""
    private = _private(view)
    return str(private.get("channel", "")), str(private.get("message", ""))


def form_event(body: Payload, actor: Actor) -> FormSubmit:
    view = body["view"]
    private = _private(view)
    values: dict[str, str | list[str]] = {}
    for block_id, elements in view.get("state", {}).get("values", {}).items():
        for element in elements.values():
            values[block_id] = _input_value(element)
    return FormSubmit(
        **_base(body, f"form:{body['trigger_id']}", actor, str(private.get("channel", ""))),
        form_id=str(view["callback_id"]),
        values=values,
        metadata=str(private.get("metadata", "")),
        message_id=str(private.get("message") or "") or None,
    )

"""Which Slack deliveries are stored before their acknowledgement, under which id.

Each kind the bot handles becomes an intake arrival (bot/delivery/intake.py) holding the payload as
Slack sent it, and the bot user id (a mention is told apart by it): the work behind it (the
sender's profile, the reacted message, the dispatch) happens after the ack, from the stored
row, in any replica. The id repeats when Slack delivers the same thing again: the Events API
`event_id`, the `trigger_id` of a command or an interaction.

`DROP` is a delivery for the bot that needs nothing done (an edit, a bot's post, another
tab of the app): acknowledged, never stored. None is one for bolt's own listeners
(uninstalls, revoked tokens), which act at once on installations, not on people's events.
"""

from typing import Any, Final, Literal

from adapters.slack import inbound
from bot.delivery.intake import Arrival

KIND: Final = "slack"
DROP: Final = "drop"

Label = Literal[
    "command",
    "direct_message",
    "thread_reply",
    "app_mention",
    "reaction_added",
    "app_home_opened",
    "message_action",
    "block_actions",
    "view_submission",
    "profile",
]

Body = dict[str, Any]


def arrival(body: Body, bot_user_id: str) -> Arrival | Literal["drop"] | None:
    found = _label(body, bot_user_id)
    if found is None or found == DROP:
        return found
    label, event_id, actor = found
    return Arrival(
        inbound.PLATFORM,
        event_id,
        KIND,
        {"label": label, "body": body, "bot_user_id": bot_user_id},
        workspace=inbound.team_id(body),
        actor=actor,
    )


def _label(body: Body, bot_user_id: str) -> tuple[Label, str, str] | Literal["drop"] | None:
    if "command" in body:
        return "command", f"command:{body['trigger_id']}", str(body.get("user_id", ""))
    user = str((body.get("user") or {}).get("id", "")) if isinstance(body.get("user"), dict) else ""
    match body.get("type"):
        case "event_callback":
            return _event(body, bot_user_id)
        case "block_actions":
            return "block_actions", f"action:{body.get('trigger_id', '')}", user
        case "message_action":
            return "message_action", f"message_action:{body.get('trigger_id', '')}", user
        case "view_submission":
            return "view_submission", f"form:{body.get('trigger_id', '')}", user
    return None


def _event(body: Body, bot_user_id: str) -> tuple[Label, str, str] | Literal["drop"] | None:
    event = body.get("event") or {}
    event_id = str(body["event_id"])
    user = str(event.get("user", ""))
    match event.get("type"):
        case "message":
            label = _message(event, bot_user_id)
            return DROP if label is None else (label, event_id, user)
        case "app_mention":
            return "app_mention", event_id, user
        case "reaction_added":
            if (event.get("item") or {}).get("type") != "message":
                return DROP
            return "reaction_added", event_id, user
        case "app_home_opened":
            # The same event comes for the Messages and About tabs: only Home is ours to draw.
            return ("app_home_opened", event_id, user) if event.get("tab") == "home" else DROP
        case "team_join" | "user_change":
            # A roster change (adapters/slack/roster.py): `user` is the whole profile.
            profile = event.get("user")
            if not isinstance(profile, dict) or not profile.get("id"):
                return DROP
            return "profile", event_id, str(profile["id"])
    return None


def _message(event: Body, bot_user_id: str) -> Label | None:
    """Direct messages to the bot, and replies in channel threads (an idea's discussion
    thread); edits, joins and bot posts are not someone talking. A reply that mentions the
    bot arrives again as app_mention: handled there."""
    if event.get("subtype") or event.get("bot_id"):
        return None
    if event.get("channel_type") == "im":
        return "direct_message"
    mentioned = bool(bot_user_id) and f"<@{bot_user_id}>" in str(event.get("text", ""))
    if inbound.is_thread_reply(event) and not mentioned:
        return "thread_reply"
    return None

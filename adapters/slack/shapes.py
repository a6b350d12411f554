"""The shape of what Rapport reads from a Slack payload, checked before any of it is used.

A signed payload can still carry a field of the wrong type (a `user` object where Slack sends
an id): read as it is, it would become a person whose id is a dict's repr. Such a payload is
refused whole (app.py answers 400 and stores nothing); Slack retries a refused event three
times at most, then drops it.
"""

from collections.abc import Mapping
from typing import Any

Payload = Mapping[str, Any]

# Events Rapport reads, and for each the fields it reads that must be non-empty strings.
REQUIRED: dict[str, tuple[str, ...]] = {
    "message": ("channel", "ts"),
    "app_mention": ("user", "channel", "ts"),
    "reaction_added": ("user", "reaction"),
    "app_home_opened": ("user",),
}
# Fields that, when present, must be strings (possibly empty).
OPTIONAL = ("user", "text", "thread_ts", "subtype", "bot_id", "channel_type", "tab", "item_user")


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _strings(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(v, str) for v in values)


def _event_problem(event: Any) -> str | None:
    if not isinstance(event, Mapping) or not isinstance(event.get("type"), str):
        return "event"
    kind = event["type"]
    if kind not in REQUIRED and kind != "tokens_revoked":
        return None
    for name in REQUIRED.get(kind, ()):
        if not _is_id(event.get(name)):
            return f"event.{name}"
    for name in OPTIONAL:
        if name in event and not isinstance(event[name], str):
            return f"event.{name}"
    if kind == "message" and not (event.get("user") or event.get("subtype") or event.get("bot_id")):
        return "event.user"
    if kind == "reaction_added":
        return _item_problem(event.get("item"))
    if kind == "tokens_revoked":
        tokens = event.get("tokens")
        if not isinstance(tokens, Mapping) or not all(_strings(v) for v in tokens.values()):
            return "event.tokens"
    return None


def _item_problem(item: Any) -> str | None:
    if not isinstance(item, Mapping) or not isinstance(item.get("type"), str):
        return "event.item"
    if item["type"] == "message" and not (_is_id(item.get("channel")) and _is_id(item.get("ts"))):
        return "event.item"
    return None


def _interaction_problem(body: Payload) -> str | None:
    user = body.get("user")
    if not isinstance(user, Mapping) or not _is_id(user.get("id")):
        return "user"
    if "trigger_id" in body and not _is_id(body["trigger_id"]):
        return "trigger_id"
    for name in ("channel", "container", "message"):
        if name in body and not isinstance(body[name], Mapping):
            return name
    if body["type"] == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not all(
            isinstance(a, Mapping) and _is_id(a.get("action_id")) for a in actions
        ):
            return "actions"
    if body["type"] == "view_submission":
        view = body.get("view")
        if not isinstance(view, Mapping) or not _is_id(view.get("callback_id")):
            return "view"
    return None


def problem(body: Payload) -> str | None:
    """The first field of `body` that Rapport would misread, or None when all is well."""
    if "command" in body:
        ok = all(_is_id(body.get(name)) for name in ("user_id", "command", "trigger_id"))
        return None if ok else "command"
    match body.get("type"):
        case "event_callback":
            if not isinstance(body.get("event_id"), str):
                return "event_id"
            return _event_problem(body.get("event"))
        case "block_actions" | "view_submission" | "message_action":
            return _interaction_problem(body)
    return None

"""Gateway event payloads shaped like Discord's documented ones (API v10)."""

import itertools
from typing import Any

from tests.adapters.discord.fake_discord import APP_ID, GENERAL_ID, GUILD_ID, member

_ids = itertools.count(1)


def snowflake() -> str:
    return str(600000000000000000 + next(_ids))


def guild_create(channels: list[dict[str, Any]], guild_id: str = GUILD_ID) -> dict[str, Any]:
    return {
        "id": guild_id,
        "name": "Acme",
        "icon": None,
        "owner_id": "900000000000000003",
        "unavailable": False,
        "member_count": 3,
        "large": False,
        "features": [],
        "roles": [],
        "emojis": [],
        "stickers": [],
        "channels": channels,
        "threads": [],
        "members": [],
        "voice_states": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "joined_at": "2026-01-01T00:00:00+00:00",
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
    }


def text_channel(channel_id: str = GENERAL_ID, name: str = "general") -> dict[str, Any]:
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": GUILD_ID,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
    }


def _interaction(kind: int, actor: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": snowflake(),
        "application_id": APP_ID,
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID,
        "channel_id": GENERAL_ID,
        "channel": text_channel(),
        "member": member(actor),
        "token": "tok-" + snowflake(),
        "version": 1,
        "app_permissions": "2147483647",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "attachment_size_limit": 10485760,
    }


def slash_command(
    actor: dict[str, Any],
    name: str,
    options: list[dict[str, Any]] | None = None,
    resolved_users: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """INTERACTION_CREATE, type 2 (APPLICATION_COMMAND); user options come with `resolved`."""
    data: dict[str, Any] = {"id": snowflake(), "name": name, "type": 1, "guild_id": GUILD_ID}
    if options:
        data["options"] = options
    if resolved_users:
        data["resolved"] = {
            "users": {u["id"]: u for u in resolved_users},
            "members": {u["id"]: member() for u in resolved_users},
        }
    return _interaction(2, actor, data)


def autocomplete(actor: dict[str, Any], name: str, typed: str) -> dict[str, Any]:
    """INTERACTION_CREATE, type 4 (APPLICATION_COMMAND_AUTOCOMPLETE) on the `text` option."""
    data = {
        "id": snowflake(),
        "name": name,
        "type": 1,
        "options": [{"name": "text", "type": 3, "value": typed, "focused": True}],
    }
    return _interaction(4, actor, data)


def button_click(
    actor: dict[str, Any], custom_id: str, message: dict[str, Any] | None
) -> dict[str, Any]:
    """INTERACTION_CREATE, type 3 (MESSAGE_COMPONENT) for a button on `message`."""
    payload = _interaction(3, actor, {"custom_id": custom_id, "component_type": 2})
    if message is not None:
        payload["message"] = message
    return payload


def modal_submit(
    actor: dict[str, Any],
    custom_id: str,
    values: dict[str, str],
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """INTERACTION_CREATE, type 5 (MODAL_SUBMIT): one action row per text input; a modal
    opened by a button carries that button's `message`."""
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
        for key, value in values.items()
    ]
    payload = _interaction(5, actor, {"custom_id": custom_id, "components": rows})
    if message is not None:
        payload["message"] = message
    return payload


def in_dm(interaction: dict[str, Any], channel_id: str) -> dict[str, Any]:
    """The same interaction sent from a DM with the bot: a user, no guild or member."""
    moved = {k: v for k, v in interaction.items() if k not in ("guild_id", "member")}
    moved["data"] = {k: v for k, v in interaction["data"].items() if k != "guild_id"}
    actor = interaction["member"]["user"]
    dm = {"id": channel_id, "type": 1, "recipients": [actor], "last_message_id": None}
    return {**moved, "user": actor, "channel_id": channel_id, "channel": dm, "context": 1}


def reaction_add(
    actor: dict[str, Any], channel_id: str, message: dict[str, Any], emoji: str
) -> dict[str, Any]:
    """MESSAGE_REACTION_ADD in a guild (the gateway includes the reacting member)."""
    return {
        "user_id": actor["id"],
        "channel_id": channel_id,
        "message_id": message["id"],
        "guild_id": GUILD_ID,
        "member": member(actor),
        "emoji": {"id": None, "name": emoji},
        "message_author_id": message["author"]["id"],
        "burst": False,
        "burst_colors": [],
        "type": 0,
    }


def direct_message(author: dict[str, Any], channel_id: str, content: str) -> dict[str, Any]:
    """MESSAGE_CREATE in a DM channel (no guild_id)."""
    return {
        "id": snowflake(),
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": "2027-01-04T09:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        "type": 0,
        "flags": 0,
    }

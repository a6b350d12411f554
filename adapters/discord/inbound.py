"""Discord payloads turned into bot.contract.events: commands, clicks, modal submits, reactions,
DMs.

Mentions reach the core in the neutral `<@id>` form (Discord's legacy nickname form `<@!id>`
is folded into it). Reactions to standard emoji are named by their common short code
(🎉 -> `tada`), custom emoji by their own name, so KUDOS_EMOJI means the same on every platform.
"""

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import discord
import emoji

from adapters.discord.ids import FOLDED
from bot.contract.events import Action, Actor, Command, FormSubmit, Message, Reaction

PLATFORM = "discord"

_NICKNAME_MENTION = re.compile(r"<@!(\d+)>")
_USER_TOKEN = re.compile(r"<@!?(\d+)>|(\d{15,21})|@?([^\s,<>@]+)")
_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff]")


@dataclass(frozen=True)
class Where:
    """The workspace (guild) and channel an event happened in."""

    workspace: str
    workspace_name: str
    channel: str
    is_dm: bool


def neutral(text: str) -> str:
    return _NICKNAME_MENTION.sub(r"<@\1>", text)


def actor(user: discord.abc.User, locale: str | None = None) -> Actor:
    """`locale`: the language of the user's Discord client, which interactions carry."""
    return Actor(id=str(user.id), name=user.display_name, is_bot=user.bot, locale=locale)


def _base(
    event_id: str, user: discord.abc.User, where: Where, locale: str | None = None
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "platform": PLATFORM,
        "workspace": where.workspace,
        "workspace_name": where.workspace_name,
        "actor": actor(user, locale),
        "channel": where.channel,
        "is_dm": where.is_dm,
    }


def command_event(
    interaction: discord.Interaction[Any],
    where: Where,
    name: str,
    text: str,
    users: Sequence[discord.abc.User | None],
) -> Command:
    """A slash command; user options lead the text as mentions, as if typed before it."""
    mentions = [f"<@{user.id}>" for user in users if user is not None]
    return Command(
        **_base(str(interaction.id), interaction.user, where, interaction.locale.value),
        reply_token=interaction.token,
        name=name,
        text=" ".join([*mentions, neutral(text).strip()]).strip(),
        trigger_id=str(interaction.id),
    )


def action_event(
    interaction: discord.Interaction[Any], where: Where, action_id: str, value: str
) -> Action:
    message = interaction.message
    return Action(
        **_base(str(interaction.id), interaction.user, where, interaction.locale.value),
        reply_token=interaction.token,
        action_id=action_id,
        value=value,
        message_id=f"{message.channel.id}:{message.id}" if message else None,
        trigger_id=str(interaction.id),
    )


def form_event(
    interaction: discord.Interaction[Any], where: Where, form_id: str, metadata: str
) -> FormSubmit:
    data: Mapping[str, Any] = interaction.data or {}
    # A modal opened by a button carries the message that button is on.
    message = interaction.message
    return FormSubmit(
        **_base(str(interaction.id), interaction.user, where, interaction.locale.value),
        reply_token=interaction.token,
        form_id=form_id,
        metadata=metadata,
        values=form_values(data.get("components", [])),
        message_id=f"{message.channel.id}:{message.id}" if message else None,
    )


def form_values(components: Sequence[Mapping[str, Any]]) -> dict[str, str | list[str]]:
    """Text inputs of a modal submit, found in action rows or labels, by input name.

    Each input's custom id is `name:kind` (see render_form): users fields come back as a list
    of ids, anything else as typed.
    """
    values: dict[str, str | list[str]] = {}
    for component in _text_inputs(components):
        name, _, kind = component["custom_id"].rpartition(":")
        value = str(component.get("value") or "")
        if kind == FOLDED:
            values.update(folded_values(name.split(","), value))
        else:
            values[name] = users_typed(value) if kind == "users" else neutral(value)
    return values


def folded_values(names: Sequence[str], typed: str) -> dict[str, str | list[str]]:
    """The `name: value` lines of a form's "More" box, for the names it holds; a name whose
    line is gone comes back empty, so the form's own checks speak of it."""
    lines = (line.partition(":") for line in typed.splitlines())
    found = {key.strip().lower(): value.strip() for key, sep, value in lines if sep}
    return {name: neutral(found.get(name.lower(), "")) for name in names}


def _text_inputs(components: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    found: list[Mapping[str, Any]] = []
    for component in components:
        if component.get("type") == discord.ComponentType.text_input.value:
            found.append(component)
        found.extend(_text_inputs(component.get("components", [])))
        if inner := component.get("component"):  # a Label wraps one component
            found.extend(_text_inputs([inner]))
    return found


def users_typed(text: str) -> list[str]:
    """User ids from mentions or bare ids; anything else is kept as typed (without `@`) so
    the handler can say whom it could not find."""
    found = [m[1] or m[2] or m[3] for m in _USER_TOKEN.finditer(text)]
    return list(dict.fromkeys(found))


def emoji_name(partial: discord.PartialEmoji) -> str:
    if partial.id is not None:  # a custom emoji has a name of its own
        return partial.name or str(partial.id)
    plain = _SKIN_TONES.sub("", partial.name or "")
    return emoji.demojize(plain, language="alias").strip(":") if plain else ""


def reaction_event(
    payload: discord.RawReactionActionEvent,
    where: Where,
    user: discord.abc.User,
    message: discord.Message,
) -> Reaction:
    """`message` is the reacted-to discord.Message, fetched for its author and content."""
    name = emoji_name(payload.emoji)
    return Reaction(
        # Discord has no id for a reaction; this one makes a replayed gateway event a duplicate.
        **_base(f"reaction:{payload.message_id}:{payload.user_id}:{name}", user, where),
        emoji=name,
        message_id=f"{payload.channel_id}:{payload.message_id}",
        message_author=str(message.author.id),
        message_text=neutral(message.content),
    )


def message_event(
    message: discord.Message, where: Where, commands: Collection[str], mentions_bot: bool
) -> Command | Message:
    """A DM whose first word is a known command (with or without `/`) is that command."""
    text = neutral(message.content).strip()
    first, _, rest = text.partition(" ")
    base = _base(str(message.id), message.author, where)
    name = first.lstrip("/").lower()
    if where.is_dm and name in commands:
        return Command(**base, name=name, text=rest.strip())
    if isinstance(message.channel, discord.Thread):
        base["thread"] = f"{message.channel.parent_id}:{message.channel.id}"
    return Message(
        **base,
        message_id=f"{message.channel.id}:{message.id}",
        text=text,
        mentions_bot=mentions_bot,
    )

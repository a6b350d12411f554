"""Teams activities as bot.contract.events.

A person's neutral id is their Teams user id (`29:...`): it is what `from` and mention entities
both carry, so `<@id>` in a command names the same person as the actor of another event. The
tenant is the workspace. Every event id is the activity id Teams gives the delivery, which a
redelivery repeats.
"""

import html
import re
from collections.abc import Collection
from typing import Any

from microsoft_agents.activity import Activity, ChannelAccount

from bot.contract.events import Action, Actor, Command, FormSubmit, Message, Reaction

PLATFORM = "teams"
# Action.Execute verbs: a form's submit button says which form; any other verb is an action id.
FORM_VERB = "rapport.form:"
# Keys of Action.Execute data that the cards module sets; everything else is a form input.
VALUE_KEY = "rapport_value"
INPUT_KEY = "rapport_input"
FORM_KEY = "rapport_form"
METADATA_KEY = "rapport_metadata"
VERB_KEY = "rapport_verb"
RESERVED_KEYS = frozenset({VALUE_KEY, INPUT_KEY, FORM_KEY, METADATA_KEY, VERB_KEY})

_TAG = re.compile(r"<[^>]*>")
_THREAD = ";messageid="
# Newer Teams reactions arrive as `<unicode code points>_<name>`, e.g. `1f389_tada`.
_CODEPOINTS = re.compile(r"^[0-9a-f]+(?:-[0-9a-f]+)*_")


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def tenant_id(activity: Activity) -> str:
    tenant = channel_data(activity).get("tenant") or {}
    conversation = activity.conversation
    return str((conversation.tenant_id if conversation else None) or tenant.get("id") or "")


def conversation_type(activity: Activity) -> str:
    conversation = activity.conversation
    return str(conversation.conversation_type or "") if conversation else ""


def is_personal(activity: Activity) -> bool:
    return conversation_type(activity) == "personal"


def channel_id(activity: Activity) -> str:
    """The conversation without the thread part: a channel, a group chat or a personal chat."""
    conversation = activity.conversation
    return str(conversation.id).split(_THREAD)[0] if conversation and conversation.id else ""


def conversation_id(activity: Activity) -> str:
    """The conversation as Teams addresses it, a channel thread included."""
    conversation = activity.conversation
    return str(conversation.id) if conversation and conversation.id else ""


def thread_id(activity: Activity) -> str | None:
    """The root message of the channel thread the activity is in, if any."""
    conversation = activity.conversation
    if conversation is None or not conversation.id or _THREAD not in conversation.id:
        return None
    return conversation.id.split(_THREAD, 1)[1]


def message_id(conversation: str, activity_id: str) -> str:
    """Editing a message needs its conversation as well as its id, so the neutral id holds both."""
    return f"{conversation}|{activity_id}"


def split_message_id(neutral: str) -> tuple[str, str]:
    conversation, _, activity_id = neutral.rpartition("|")
    return conversation, activity_id


def is_bot_account(account: ChannelAccount | None) -> bool:
    return account is not None and (account.role == "bot" or str(account.id).startswith("28:"))


def actor(activity: Activity) -> Actor:
    account = activity.from_property
    return Actor(
        id=str(account.id),
        name=account.name or "",
        timezone=activity.local_timezone,
        is_bot=is_bot_account(account),
        locale=activity.locale,
    )


def mentions(activity: Activity) -> list[ChannelAccount]:
    """People mentioned in a message (the bot itself excluded)."""
    bot = activity.recipient.id if activity.recipient else None
    return [
        m.mentioned
        for m in activity.get_mentions()
        if m.mentioned is not None and m.mentioned.id and m.mentioned.id != bot
    ]


def spoken_text(activity: Activity) -> tuple[str, bool]:
    """The message as plain text with neutral mentions, and whether it mentioned the bot.

    Teams puts `<at>Name</at>` where someone was mentioned and a matching `mention` entity
    beside it; the bot's own mention (how a channel addresses the bot) is dropped. Everything
    else that looks like markup is removed and entities unescaped, so the core gets what the
    person typed.
    """
    text = activity.text or ""
    bot = activity.recipient.id if activity.recipient else None
    placeholders: dict[str, str] = {}
    mentions_bot = False
    for index, mention in enumerate(activity.get_mentions()):
        mentioned = mention.mentioned
        if mentioned is None or not mentioned.id or not mention.text:
            continue
        if mentioned.id == bot:
            mentions_bot = True
            text = text.replace(mention.text, " ")
            continue
        marker = f"\x00{index}\x00"
        placeholders[marker] = f"<@{mentioned.id}>"
        text = text.replace(mention.text, marker)
    text = html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ")
    text = text.replace("<", "‹").replace(">", "›")
    for marker, neutral in placeholders.items():
        text = text.replace(marker, neutral)
    return " ".join(text.split()), mentions_bot


def _thread(activity: Activity) -> str | None:
    """The channel thread as the platform names its first message (see message_id)."""
    root = thread_id(activity)
    return message_id(channel_id(activity), root) if root else None


def _base(activity: Activity, sender: Actor, event_id: str) -> dict[str, Any]:
    personal = is_personal(activity)
    return {
        "event_id": event_id,
        "platform": PLATFORM,
        "workspace": tenant_id(activity),
        "actor": sender,
        "channel": channel_id(activity),
        "is_dm": personal,
        "thread": _thread(activity),
        "reply_token": str(activity.id) if activity.id else None,
    }


def message_event(
    activity: Activity, sender: Actor, commands: Collection[str]
) -> Command | Message:
    """A command when the first word names one (`kudos @Ann thanks`), else a plain message."""
    text, mentions_bot = spoken_text(activity)
    base = _base(activity, sender, str(activity.id))
    first, _, rest = text.partition(" ")
    name = first.lstrip("/").lower()
    if name in commands:
        return Command(**base, name=name, text=rest.strip())
    return Message(
        **base,
        message_id=message_id(conversation_id(activity), str(activity.id)),
        text=text,
        mentions_bot=mentions_bot,
    )


def reaction_name(teams_type: str) -> str:
    return _CODEPOINTS.sub("", teams_type)


def reaction_events(activity: Activity, sender: Actor, author: str, text: str) -> list[Reaction]:
    """One event per reaction added (Teams may batch them); removals are not events."""
    reacted = str(activity.reply_to_id or "")
    return [
        Reaction(
            **_base(activity, sender, f"{activity.id}:{reaction.type}"),
            emoji=reaction_name(str(reaction.type)),
            message_id=message_id(conversation_id(activity), reacted),
            message_author=author,
            message_text=text,
        )
        for reaction in activity.reactions_added or []
        if reaction.type
    ]


class NotACardAction(ValueError):
    """An invoke that is not an Adaptive Card Action.Execute this bot can understand."""


def is_submit_fallback(activity: Activity) -> bool:
    """A click on the Action.Submit that stands in for Action.Execute on older clients: a
    message without text whose value carries the verb."""
    return (
        activity.type == "message"
        and isinstance(activity.value, dict)
        and isinstance(activity.value.get(VERB_KEY), str)
    )


def card_action(activity: Activity) -> tuple[str, dict[str, Any]]:
    """Verb and data of an `adaptiveCard/action` invoke, or of its Action.Submit fallback."""
    value = activity.value if isinstance(activity.value, dict) else {}
    if is_submit_fallback(activity):
        return str(value[VERB_KEY]), value
    action = value.get("action")
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        raise NotACardAction("not an Action.Execute")
    verb = action.get("verb")
    data = action.get("data") or {}
    if not isinstance(verb, str) or not verb or not isinstance(data, dict):
        raise NotACardAction("Action.Execute without a verb")
    return verb, data


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def card_event(activity: Activity, sender: Actor) -> Action | FormSubmit:
    """A button click (verb = action id) or a form submission (verb = FORM_VERB + form id)."""
    verb, data = card_action(activity)
    base = _base(activity, sender, str(activity.id))
    reacted = activity.reply_to_id
    card = message_id(conversation_id(activity), reacted) if reacted else None
    if verb.startswith(FORM_VERB):
        values = {k: _text(v) for k, v in data.items() if k not in RESERVED_KEYS}
        return FormSubmit(
            **base,
            form_id=verb.removeprefix(FORM_VERB),
            values=dict(values),
            metadata=_text(data.get(METADATA_KEY)),
            message_id=card,
        )
    # A select travels as an input next to its button; the button says which input it is.
    selected = data.get(INPUT_KEY)
    value = data.get(selected) if isinstance(selected, str) else data.get(VALUE_KEY)
    return Action(**base, action_id=verb, value=_text(value), message_id=card)

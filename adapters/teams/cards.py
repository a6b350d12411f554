"""bot.contract.ui rendered as Teams messages: Adaptive Cards 1.5 with Universal Actions.

Buttons are Action.Execute (verb = action id, data carries the value), so a click comes back as
an `adaptiveCard/action` invoke whose response can refresh the card in place. Each also has an
Action.Submit fallback for clients without Universal Actions, and each card a fallbackText for
clients that cannot show cards at all. Neutral mentions `<@id>` become `<at>Name</at>` with a
mention entity, the only markup Teams turns into a notification.
"""

import html
import json
import re
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity, Attachment, ChannelAccount, Mention

from adapters.teams.inbound import (
    FORM_KEY,
    FORM_VERB,
    INPUT_KEY,
    METADATA_KEY,
    VALUE_KEY,
    VERB_KEY,
)
from bot.contract.ui import (
    Actions,
    Block,
    Button,
    Context,
    Divider,
    Form,
    Header,
    Image,
    Input,
    Message,
    Section,
    Select,
)
from bot.kit.safety import truncate

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
MAX_TITLE = 100
_NEUTRAL_MENTION = re.compile(r"<@([A-Za-z0-9_.:\-]+)>")
# The core writes Slack-style emphasis (`*bold*`); card markdown reads a single `*` as italics.
_BOLD = re.compile(r"(?<![*\w])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![*\w])")

Card = dict[str, Any]


class Mentions:
    """Turns neutral mentions into `<at>` tags, collecting the entities Teams needs beside them."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names
        self.entities: dict[str, Mention] = {}

    def text(self, text: str) -> str:
        """Core text for Teams: escaped, emphasis converted, mentions tagged."""
        parts: list[str] = []
        position = 0
        for match in _NEUTRAL_MENTION.finditer(text):
            parts.append(_escape(text[position : match.start()]))
            parts.append(self._tag(match[1]))
            position = match.end()
        parts.append(_escape(text[position:]))
        return "".join(parts)

    def _tag(self, user_id: str) -> str:
        name = self.names.get(user_id) or user_id
        tag = f"<at>{html.escape(name, quote=False)}</at>"
        self.entities.setdefault(
            user_id, Mention(mentioned=ChannelAccount(id=user_id, name=name), text=tag)
        )
        return tag

    def card_entities(self) -> list[dict[str, Any]]:
        return [m.model_dump(mode="json", exclude_none=True) for m in self.entities.values()]


def _escape(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BOLD.sub(r"**\1**", escaped)


def plain_text(text: str, names: Mapping[str, str]) -> str:
    """Text without markup, for fallbacks and notifications: mentions as `@Name`."""
    return _NEUTRAL_MENTION.sub(lambda m: "@" + (names.get(m[1]) or m[1]), text)


def _execute(title: str, verb: str, data: dict[str, Any], style: str | None = None) -> Card:
    action: Card = {
        "type": "Action.Execute",
        "title": truncate(title, MAX_TITLE) or " ",
        "verb": verb,
        "data": data,
        # Clients without Universal Actions (older Teams, other hosts) send this instead, as a
        # message whose value names the verb.
        "fallback": {
            "type": "Action.Submit",
            "title": truncate(title, MAX_TITLE) or " ",
            "data": {**data, VERB_KEY: verb},
        },
    }
    if style is not None:
        action["style"] = style
    return action


def _button(button: Button) -> Card:
    style = {"primary": "positive", "danger": "destructive"}.get(button.style or "")
    return _execute(button.label, button.action_id, {VALUE_KEY: button.value}, style)


def _select(select: Select) -> list[Card]:
    """A select is a choice input plus a button that sends it (cards have no on-change)."""
    return [
        {
            "type": "Input.ChoiceSet",
            "id": select.action_id,
            "style": "compact",
            "placeholder": select.placeholder,
            "choices": [{"title": o.label, "value": o.value} for o in select.options],
        },
        {
            "type": "ActionSet",
            "actions": [
                _execute(
                    select.placeholder or "Choose", select.action_id, {INPUT_KEY: select.action_id}
                )
            ],
        },
    ]


def _fact(field: str, mentions: Mentions) -> dict[str, str]:
    title, separator, value = field.partition(": ")
    if not separator:
        return {"title": "", "value": mentions.text(field)}
    return {"title": mentions.text(title), "value": mentions.text(value)}


def _block(block: Block, mentions: Mentions) -> list[Card]:
    match block:
        case Section():
            items: list[Card] = []
            if block.text:
                items.append({"type": "TextBlock", "text": mentions.text(block.text), "wrap": True})
            if block.fields:
                items.append(
                    {"type": "FactSet", "facts": [_fact(f, mentions) for f in block.fields]}
                )
            return items
        case Context():
            text = " · ".join(mentions.text(t) for t in block.texts)
            return [
                {"type": "TextBlock", "text": text, "wrap": True, "size": "Small", "isSubtle": True}
            ]
        case Image():
            return [{"type": "Image", "url": block.url, "altText": block.alt}]
        case Header():
            text = mentions.text(block.text)
            return [
                {
                    "type": "TextBlock",
                    "text": text,
                    "wrap": True,
                    "size": "Large",
                    "weight": "Bolder",
                }
            ]
        case Actions():
            items, buttons = [], []
            for element in block.elements:
                if isinstance(element, Button):
                    buttons.append(_button(element))
                else:
                    items.extend(_select(element))
            if buttons:
                items.append({"type": "ActionSet", "actions": buttons})
            return items
    return []


def _card(body: list[Card], fallback: str, mentions: Mentions) -> Card:
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "fallbackText": fallback,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if mentions.entities:
        card["msteams"]["entities"] = mentions.card_entities()
    return card


def card(message: Message, names: Mapping[str, str]) -> Card:
    """The message as a card; one without blocks becomes a card of its text. A divider is
    the separator line above the element that follows it."""
    mentions = Mentions(names)
    blocks: list[Block] = list(message.blocks) or [Section(text=message.text)]
    body: list[Card] = []
    divided = False
    for block in blocks:
        if isinstance(block, Divider):
            divided = True
            continue
        items = _block(block, mentions)
        if divided and items:
            items[0] = {**items[0], "separator": True, "spacing": "Medium"}
            divided = False
        body.extend(items)
    return _card(body, plain_text(message.text, names), mentions)


def activity(message: Message, names: Mapping[str, str]) -> Activity:
    """A message activity: plain text when there are no blocks, else a card with the text as
    the notification summary."""
    if not message.blocks:
        mentions = Mentions(names)
        text = mentions.text(message.text)
        return Activity(
            type="message",
            text=text,
            text_format="markdown",
            entities=list(mentions.entities.values()) or None,
        )
    return Activity(
        type="message",
        summary=truncate(plain_text(message.text, names), 300),
        attachments=[Attachment(content_type=CARD_TYPE, content=card(message, names))],
    )


def _input(spec: Input, error: str | None) -> list[Card]:
    field: Card = {"id": spec.name, "label": spec.label, "isRequired": spec.required}
    if spec.required:
        field["errorMessage"] = f"{spec.label} is required."
    match spec.kind:
        case "text" | "textarea":
            field.update(type="Input.Text", isMultiline=spec.kind == "textarea")
            if spec.max_length:
                field["maxLength"] = spec.max_length
        case "number":
            field["type"] = "Input.Number"
        case "select":
            field.update(
                type="Input.ChoiceSet",
                style="compact",
                choices=[{"title": o.label, "value": o.value} for o in spec.options],
            )
        case "users":
            # Teams' people picker; it answers with Entra object ids, comma separated.
            field.update(
                type="Input.ChoiceSet",
                isMultiSelect=True,
                choices=[],
                **{"choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}},
            )
    if spec.placeholder:
        field["placeholder"] = spec.placeholder
    if spec.initial:
        field["value"] = spec.initial
    items = [field]
    if error:
        items.append({"type": "TextBlock", "text": error, "wrap": True, "color": "Attention"})
    return items


def form_card(form: Form, errors: Mapping[str, str] | None = None) -> Card:
    """A form as a card: inputs and one submit button whose data carries the form itself, so
    that a submission with errors can be shown again without any server-side state."""
    errors = errors or {}
    body: list[Card] = [
        {
            "type": "TextBlock",
            "text": form.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    general = [text for name, text in errors.items() if name not in {i.name for i in form.inputs}]
    body.extend(
        {"type": "TextBlock", "text": t, "wrap": True, "color": "Attention"} for t in general
    )
    for spec in form.inputs:
        body.extend(_input(spec, errors.get(spec.name)))
    data = {FORM_KEY: form.model_dump_json(), METADATA_KEY: form.metadata}
    body.append(
        {
            "type": "ActionSet",
            "actions": [_execute(form.submit_label, FORM_VERB + form.form_id, data, "positive")],
        }
    )
    return _card(body, form.title, Mentions({}))


def form_activity(form: Form, errors: Mapping[str, str] | None = None) -> Activity:
    return Activity(
        type="message",
        summary=form.title,
        attachments=[Attachment(content_type=CARD_TYPE, content=form_card(form, errors))],
    )


def submitted_form(data: Mapping[str, Any]) -> Form | None:
    """The form a submission came from, as form_card put it in the button's data."""
    raw = data.get(FORM_KEY)
    if not isinstance(raw, str):
        return None
    try:
        return Form.model_validate(json.loads(raw))
    except ValueError:
        return None

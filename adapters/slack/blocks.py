"""bot.contract.ui rendered as Block Kit, within Block Kit's limits.

Long content is split where Slack allows more of the same (sections, fields, action rows)
and trimmed, with a visible ellipsis or note, where it does not; every payload then passes
through limits.fit, which holds each field to Slack's limits in one place.
"""

import json
import logging
import re
from typing import Any

from adapters.slack.limits import (
    MAX_CONTEXT_ELEMENTS,
    MAX_ELEMENTS,
    MAX_FIELDS,
    MAX_MESSAGE_BLOCKS,
    MAX_PRIVATE_METADATA,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    fit,
    fit_blocks,
)
from adapters.slack.mrkdwn import to_slack
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

log = logging.getLogger(__name__)

MAX_FALLBACK_TEXT = 3000
MAX_PLAIN_MESSAGE = 3000

# Slack rejects a message whose action ids repeat (several "vote" buttons, one per idea), so
# repeats get a suffix on the way out that inbound.action_events strips off again.
ACTION_SUFFIX = re.compile(r"~\d+$")

SlackBlock = dict[str, Any]


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _plain_text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text or " ", "emoji": True}


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at a line break, else a space, else anywhere
    that does not break an escape (`&amp;`) or a mention (`<@U1>`)."""
    pieces: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = window.rfind("\n")
        if cut <= 0:
            cut = window.rfind(" ")
        if cut <= 0:
            opened = max(window.rfind("&"), window.rfind("<"))
            closed = max(window.rfind(";"), window.rfind(">"))
            cut = opened if opened > closed and opened > 0 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text or not pieces:
        pieces.append(text)
    return pieces


def _sections(section: Section) -> list[SlackBlock]:
    texts = split_text(to_slack(section.text), MAX_SECTION_TEXT) if section.text else []
    fields = [_mrkdwn(to_slack(f)) for f in section.fields if f]
    blocks: list[SlackBlock] = [{"type": "section", "text": _mrkdwn(t)} for t in texts if t]
    field_groups = [fields[i : i + MAX_FIELDS] for i in range(0, len(fields), MAX_FIELDS)]
    if blocks and field_groups:
        blocks[-1]["fields"] = field_groups.pop(0)
    blocks.extend({"type": "section", "fields": group} for group in field_groups)
    return blocks


def _button(button: Button, action_id: str) -> SlackBlock:
    element: SlackBlock = {
        "type": "button",
        "action_id": action_id,
        "text": _plain_text(button.label),
    }
    if button.value:
        element["value"] = button.value
    if button.style:
        element["style"] = button.style
    return element


def _option(value: str, label: str) -> SlackBlock:
    return {"text": _plain_text(label), "value": value}


def _select(select: Select, action_id: str) -> SlackBlock:
    return {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": _plain_text(select.placeholder),
        "options": [_option(o.value, o.label) for o in select.options],
    }


def _actions(actions: Actions, seen: dict[str, int]) -> list[SlackBlock]:
    elements: list[SlackBlock] = []
    for element in actions.elements:
        count = seen[element.action_id] = seen.get(element.action_id, 0) + 1
        action_id = element.action_id if count == 1 else f"{element.action_id}~{count}"
        if isinstance(element, Button):
            elements.append(_button(element, action_id))
        else:
            elements.append(_select(element, action_id))
    return [
        {"type": "actions", "elements": elements[i : i + MAX_ELEMENTS]}
        for i in range(0, len(elements), MAX_ELEMENTS)
    ]


def _context(context: Context) -> list[SlackBlock]:
    texts = [_mrkdwn(to_slack(t)) for t in context.texts if t]
    return [
        {"type": "context", "elements": texts[i : i + MAX_CONTEXT_ELEMENTS]}
        for i in range(0, len(texts), MAX_CONTEXT_ELEMENTS)
    ]


def _block(block: Block, seen: dict[str, int]) -> list[SlackBlock]:
    match block:
        case Section():
            return _sections(block)
        case Actions():
            return _actions(block, seen)
        case Image():
            return [{"type": "image", "image_url": block.url, "alt_text": block.alt or " "}]
        case Context():
            return _context(block)
        case Header():
            return [{"type": "header", "text": _plain_text(block.text)}]
        case Divider():
            return [{"type": "divider"}]


def _within_limit(blocks: list[SlackBlock], limit: int) -> list[SlackBlock]:
    if len(blocks) <= limit:
        return blocks
    hidden = len(blocks) - (limit - 1)
    note = _mrkdwn(f"_…and {hidden} more block{'s' if hidden > 1 else ''} not shown._")
    return [*blocks[: limit - 1], {"type": "context", "elements": [note]}]


def render(message: Message) -> tuple[str, list[SlackBlock]]:
    """The notification text and the blocks of a chat.postMessage / chat.update call."""
    text = to_slack(message.text)
    ui_blocks: list[Block] = list(message.blocks)
    if not ui_blocks and len(text) > MAX_PLAIN_MESSAGE:
        ui_blocks = [Section(text=message.text)]
    seen: dict[str, int] = {}
    blocks = [rendered for block in ui_blocks for rendered in _block(block, seen)]
    return truncate(text, MAX_FALLBACK_TEXT), fit_blocks(_within_limit(blocks, MAX_MESSAGE_BLOCKS))


def _element(field: Input) -> SlackBlock:
    element: SlackBlock
    match field.kind:
        case "text" | "textarea":
            element = {"type": "plain_text_input", "multiline": field.kind == "textarea"}
            if field.initial:
                element["initial_value"] = field.initial
            if field.max_length:
                element["max_length"] = field.max_length
        case "number":
            element = {"type": "number_input", "is_decimal_allowed": False}
            if field.initial:
                element["initial_value"] = field.initial
        case "users":
            element = {"type": "multi_users_select"}
            if field.initial:
                element["initial_users"] = [u for u in field.initial.split(",") if u]
        case "select":
            options = [_option(o.value, o.label) for o in field.options]
            element = {"type": "static_select", "options": options}
            initial = next((o for o in options if o["value"] == field.initial), None)
            if initial is not None:
                element["initial_option"] = initial
    if field.placeholder:
        element["placeholder"] = _plain_text(field.placeholder)
    element["action_id"] = field.name
    return element


def modal(form: Form, channel: str, message: str = "") -> SlackBlock:
    """A modal for views.open. `private_metadata` carries the form's metadata, the channel
    it was opened from, so the answer to its submission lands where the person was, and the
    message whose button opened it, for the submission to update in place."""
    inputs = [
        {
            "type": "input",
            "block_id": field.name,
            "label": _plain_text(field.label),
            "optional": not field.required,
            "element": _element(field),
        }
        for field in form.inputs
    ]
    view = {
        "type": "modal",
        "callback_id": form.form_id,
        "title": _plain_text(form.title),
        "submit": _plain_text(form.submit_label),
        "close": _plain_text("Cancel"),
        "private_metadata": _private_metadata(form, channel, message),
        "blocks": inputs,
    }
    return fit(view)


def _private_metadata(form: Form, channel: str, message: str) -> str:
    """The form's metadata, channel and message as JSON within Slack's 3,000 characters:
    cut, the metadata stays valid JSON (a cut in the middle of the JSON would lose the
    channel too)."""
    metadata = form.metadata
    origin = {"channel": channel, "message": message} if message else {"channel": channel}
    private = json.dumps({"metadata": metadata, **origin})
    if len(private) > MAX_PRIVATE_METADATA:
        log.warning("form %s: metadata over Slack's limit, cut", form.form_id)
    while len(private) > MAX_PRIVATE_METADATA and metadata:
        metadata = metadata[: len(metadata) - (len(private) - MAX_PRIVATE_METADATA)]
        private = json.dumps({"metadata": metadata, **origin})
    return private


def home_view(message: Message) -> SlackBlock:
    """A Home tab for views.publish: like a message, but up to 100 blocks."""
    seen: dict[str, int] = {}
    ui_blocks: list[Block] = list(message.blocks) or [Section(text=message.text)]
    blocks = [rendered for block in ui_blocks for rendered in _block(block, seen)]
    return fit({"type": "home", "blocks": _within_limit(blocks, MAX_VIEW_BLOCKS)})


def form_errors(form_errors: dict[str, str], block_ids: list[str]) -> dict[str, str]:
    """Errors keyed by input block; Slack refuses the whole answer if a key names no block,
    so an error about something else is shown on the first input."""
    errors: dict[str, str] = {}
    for name, text in form_errors.items():
        key = name if name in block_ids or not block_ids else block_ids[0]
        errors[key] = f"{errors[key]} {text}" if key in errors else text
    return errors

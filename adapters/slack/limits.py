"""Slack's Block Kit limits, and the one pass that holds every outgoing payload to them.

blocks.py builds Block Kit from bot.contract.ui and splits long content where Slack allows more of
the
same; `fit` then trims whatever is still over a limit, so no field a builder forgets (or a
handler's own limit above Slack's, like a 4,000-character answer) makes Slack refuse the
whole message or modal. The numbers are Slack's documented ones (docs.slack.dev, Block Kit
reference: blocks, block elements, composition objects, modal and home views).
"""

from typing import Any

from bot.kit.safety import truncate

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_OPTIONS = 100
MAX_PRIVATE_METADATA = 3000
MAX_INPUT_LENGTH = 3000
# Any text object not named below.
MAX_TEXT = 3000
# Where a holder's field is the same everywhere, the holder is "*".
ANY = "*"

# Characters of a text object's text, by the type of its holder and the key it sits under.
TEXT_LIMITS: dict[tuple[str, str], int] = {
    ("section", "text"): MAX_SECTION_TEXT,
    ("section", "fields"): MAX_FIELD_TEXT,
    ("header", "text"): 150,
    ("context", "elements"): MAX_FIELD_TEXT,
    ("input", "label"): 2000,
    ("input", "hint"): 2000,
    ("modal", "title"): 24,
    ("modal", "submit"): 24,
    ("modal", "close"): 24,
    ("button", "text"): 75,
    ("option", "text"): 75,
    ("option", "description"): 75,
    (ANY, "placeholder"): 150,
}
# Characters of a plain string field.
STRING_LIMITS: dict[tuple[str, str], int] = {
    (ANY, "action_id"): 255,
    (ANY, "block_id"): 255,
    (ANY, "callback_id"): 255,
    (ANY, "external_id"): 255,
    ("button", "value"): 2000,
    ("button", "url"): 3000,
    ("option", "value"): 150,
    ("image", "image_url"): 3000,
    ("image", "alt_text"): 2000,
    ("plain_text_input", "initial_value"): MAX_INPUT_LENGTH,
}
# Items of a list field.
ITEM_LIMITS: dict[tuple[str, str], int] = {
    ("section", "fields"): MAX_FIELDS,
    ("actions", "elements"): MAX_ELEMENTS,
    ("context", "elements"): MAX_CONTEXT_ELEMENTS,
    ("static_select", "options"): MAX_OPTIONS,
    ("multi_static_select", "options"): MAX_OPTIONS,
    ("modal", "blocks"): MAX_VIEW_BLOCKS,
    ("home", "blocks"): MAX_VIEW_BLOCKS,
}
# Keys whose objects are options, which carry no "type" of their own.
OPTION_KEYS = frozenset({"options", "initial_option", "initial_options"})

Node = dict[str, Any]


def _limit(table: dict[tuple[str, str], int], holder: str, key: str) -> int | None:
    return table.get((holder, key), table.get((ANY, key)))


def _is_text(value: Node) -> bool:
    return value.get("type") in ("plain_text", "mrkdwn") and "text" in value


def _fit_value(holder: str, key: str, value: Any) -> Any:
    if isinstance(value, str):
        limit = _limit(STRING_LIMITS, holder, key)
        return value if limit is None else value[:limit]
    if isinstance(value, list):
        limit = _limit(ITEM_LIMITS, holder, key)
        return [_fit_value(holder, key, item) for item in value[:limit]]
    if isinstance(value, dict):
        if _is_text(value):
            limit = _limit(TEXT_LIMITS, holder, key) or MAX_TEXT
            return {**value, "text": truncate(str(value["text"]), limit)}
        return fit(value, "option" if key in OPTION_KEYS else str(value.get("type", key)))
    return value


def _fit_text_input(element: Node) -> Node:
    """Slack takes max_length 1..3000 and min_length 0..3000, min not above max; a prefilled
    value longer than the input takes would be refused on submit, so it is cut to fit."""
    longest = min(max(int(element.get("max_length", MAX_INPUT_LENGTH)), 1), MAX_INPUT_LENGTH)
    if "max_length" in element:
        element["max_length"] = longest
    if "min_length" in element:
        element["min_length"] = min(max(int(element["min_length"]), 0), longest)
    if "initial_value" in element:
        element["initial_value"] = element["initial_value"][:longest]
    return element


def fit(node: Node, kind: str | None = None) -> Node:
    """`node` (a block, an element, a view; of type `kind`, else its own "type") with every
    field within Slack's limits."""
    holder = kind or str(node.get("type", ""))
    fitted = {key: _fit_value(holder, key, value) for key, value in node.items()}
    return _fit_text_input(fitted) if holder == "plain_text_input" else fitted


def fit_blocks(blocks: list[Node], limit: int = MAX_MESSAGE_BLOCKS) -> list[Node]:
    """A message's blocks, at most `limit` of them, each within Slack's limits."""
    return [fit(block) for block in blocks[:limit]]

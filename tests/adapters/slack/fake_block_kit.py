"""Slack's Block Kit checks, as the fake Slack Web API applies them.

Written from Slack's Block Kit reference, apart from the adapter's own limits (so a mistake
there is caught here, not copied). Each problem reads as Slack words it in
`response_metadata.messages`: `[ERROR] <what> [json-pointer:<where>]`.
"""

from typing import Any

Node = dict[str, Any]

TEXT_TYPES = ("plain_text", "mrkdwn")
MESSAGE_BLOCK_TYPES = {"section", "actions", "context", "image", "header", "divider"}
VIEW_BLOCK_TYPES = MESSAGE_BLOCK_TYPES | {"input"}
SELECTS = ("static_select", "multi_static_select")


class Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, what: str, where: str) -> None:
        self.found.append(f"[ERROR] {what} [json-pointer:{where}]")

    def most(self, value: Any, limit: int, where: str) -> None:
        if value is not None and len(value) > limit:
            self.add(f"must be less than {limit + 1} characters", where)

    def text(
        self, node: Any, limit: int, where: str, *, plain: bool = False, needed: bool = True
    ) -> None:
        """A text object: plain_text (or mrkdwn where allowed), 1..limit characters."""
        if node is None:
            if needed:
                self.add("missing required field: text", where)
            return
        if not isinstance(node, dict) or node.get("type") not in TEXT_TYPES:
            self.add("must be a text object", where)
            return
        if plain and node["type"] != "plain_text":
            self.add("must be a plain_text object", f"{where}/type")
        text = node.get("text")
        if not isinstance(text, str) or not text:
            self.add("must be more than 0 characters", f"{where}/text")
            return
        self.most(text, limit, f"{where}/text")

    def count(self, items: list[Any], low: int, high: int, where: str) -> None:
        if len(items) < low:
            self.add(f"must provide at least {low} items", where)
        elif len(items) > high:
            self.add(f"must provide no more than {high} items", where)


def _option(found: Problems, option: Node, where: str) -> None:
    found.text(option.get("text"), 75, f"{where}/text", plain=True)
    found.most(option.get("value"), 150, f"{where}/value")
    if not option.get("value"):
        found.add("missing required field: value", f"{where}/value")


def _select(found: Problems, element: Node, where: str) -> None:
    options = element.get("options") or []
    found.count(options, 1, 100, f"{where}/options")
    for index, option in enumerate(options):
        _option(found, option, f"{where}/options/{index}")
    initial = element.get("initial_option")
    if initial is not None and initial not in options:
        found.add("initial_option must match one of the options", f"{where}/initial_option")


def _text_input(found: Problems, element: Node, where: str) -> None:
    longest = element.get("max_length")
    if longest is not None and not 1 <= longest <= 3000:
        found.add("must be between 1 and 3000", f"{where}/max_length")
    shortest = element.get("min_length")
    if shortest is not None and not 0 <= shortest <= 3000:
        found.add("must be between 0 and 3000", f"{where}/min_length")
    if shortest is not None and longest is not None and shortest > longest:
        found.add("min_length must not exceed max_length", f"{where}/min_length")
    found.most(element.get("initial_value"), 3000, f"{where}/initial_value")


def _element(found: Problems, element: Node, where: str) -> None:
    found.most(element.get("action_id"), 255, f"{where}/action_id")
    if "placeholder" in element:
        found.text(element["placeholder"], 150, f"{where}/placeholder", plain=True)
    match element.get("type"):
        case "button":
            found.text(element.get("text"), 75, f"{where}/text", plain=True)
            found.most(element.get("value"), 2000, f"{where}/value")
            found.most(element.get("url"), 3000, f"{where}/url")
        case "static_select" | "multi_static_select":
            _select(found, element, where)
        case "plain_text_input":
            _text_input(found, element, where)
        case "number_input" | "multi_users_select" | "users_select":
            pass
        case other:
            found.add(f"unsupported element type {other!r}", f"{where}/type")


def _section(found: Problems, block: Node, where: str) -> None:
    if "text" not in block and not block.get("fields"):
        found.add("must provide either text or fields", where)
    if "text" in block:
        found.text(block["text"], 3000, f"{where}/text")
    fields = block.get("fields") or []
    found.count(fields, 0, 10, f"{where}/fields")
    for index, field in enumerate(fields):
        found.text(field, 2000, f"{where}/fields/{index}")


def _actions(found: Problems, block: Node, where: str) -> None:
    elements = block.get("elements") or []
    found.count(elements, 1, 25, f"{where}/elements")
    ids = [e.get("action_id") for e in elements if e.get("action_id")]
    if len(ids) != len(set(ids)):
        found.add("action_id must be unique within a block", f"{where}/elements")
    for index, element in enumerate(elements):
        _element(found, element, f"{where}/elements/{index}")


def _context(found: Problems, block: Node, where: str) -> None:
    elements = block.get("elements") or []
    found.count(elements, 1, 10, f"{where}/elements")
    for index, element in enumerate(elements):
        if element.get("type") == "image":
            _image(found, element, f"{where}/elements/{index}")
        else:
            found.text(element, 3000, f"{where}/elements/{index}")


def _image(found: Problems, block: Node, where: str) -> None:
    if not block.get("image_url"):
        found.add("missing required field: image_url", f"{where}/image_url")
    found.most(block.get("image_url"), 3000, f"{where}/image_url")
    found.most(block.get("alt_text"), 2000, f"{where}/alt_text")
    if not block.get("alt_text"):
        found.add("missing required field: alt_text", f"{where}/alt_text")


def _input(found: Problems, block: Node, where: str) -> None:
    found.text(block.get("label"), 2000, f"{where}/label", plain=True)
    found.text(block.get("hint"), 2000, f"{where}/hint", plain=True, needed=False)
    _element(found, block.get("element") or {}, f"{where}/element")


def _block(found: Problems, block: Node, kinds: set[str], where: str) -> None:
    kind = block.get("type")
    if kind not in kinds:
        found.add(f"unsupported block type {kind!r}", f"{where}/type")
        return
    found.most(block.get("block_id"), 255, f"{where}/block_id")
    match kind:
        case "section":
            _section(found, block, where)
        case "actions":
            _actions(found, block, where)
        case "context":
            _context(found, block, where)
        case "image":
            _image(found, block, where)
        case "header":
            found.text(block.get("text"), 150, f"{where}/text", plain=True)
        case "input":
            _input(found, block, where)


def _blocks(found: Problems, blocks: Any, limit: int, kinds: set[str], where: str) -> None:
    if not isinstance(blocks, list):
        found.add("must be an array", where)
        return
    found.count(blocks, 0, limit, where)
    for index, block in enumerate(blocks):
        _block(found, block, kinds, f"{where}/{index}")


def message_problems(blocks: Any) -> list[str]:
    """What Slack finds wrong with the blocks of a chat.postMessage, chat.update or
    chat.postEphemeral call."""
    found = Problems()
    _blocks(found, blocks, 50, MESSAGE_BLOCK_TYPES, "/blocks")
    return found.found


def view_problems(view: Any) -> list[str]:
    """What Slack finds wrong with the view of a views.open or views.publish call."""
    found = Problems()
    if not isinstance(view, dict) or view.get("type") not in ("modal", "home"):
        found.add("must be a modal or home view", "/view/type")
        return found.found
    found.most(view.get("private_metadata"), 3000, "/view/private_metadata")
    found.most(view.get("callback_id"), 255, "/view/callback_id")
    blocks = view.get("blocks")
    _blocks(found, blocks, 100, VIEW_BLOCK_TYPES, "/view/blocks")
    if view["type"] == "modal":
        found.text(view.get("title"), 24, "/view/title", plain=True)
        found.text(view.get("submit"), 24, "/view/submit", plain=True, needed=False)
        found.text(view.get("close"), 24, "/view/close", plain=True, needed=False)
        has_input = any(b.get("type") == "input" for b in blocks or [])
        if has_input and "submit" not in view:
            found.add("submit is required when an input block is present", "/view/submit")
    return found.found

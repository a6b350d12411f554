"""bot.contract.ui rendered for Discord: content, embeds and components within Discord's limits.

A message whose text fits in 2,000 characters goes out as plain content (mentions in content
notify people; in embeds they do not). Longer text moves into embed descriptions (4,096 each,
6,000 in all) and is trimmed past that, with the people it mentions kept in the content so
they are still notified. Buttons fill rows of 5 and a message holds 5 rows: a message with
more (a pulse survey of several questions) is sent as several messages, each question's text
with its buttons, so that every button can be clicked. An edit is one message: rows past the
fifth are left out of it, and logged.
"""

import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord import ids, limits
from adapters.discord.components import ActionButton, ActionSelect
from bot.contract import ui
from bot.contract.events import MENTION
from bot.kit.safety import truncate

log = logging.getLogger(__name__)

INPUT_LABEL_LIMIT = limits.INPUT_LABEL
COLOUR = discord.Colour(0x5865F2)
TRIMMED = "\n… (shortened: the full text did not fit in one Discord message)"
# A divider: Discord's markdown has no horizontal rule.
RULE = "───"
# The text of a further message that holds only buttons.
CONTINUED = "(continued)"

Row = list[discord.ui.Item[Any]]

# The one mention form that may ping: users. Never @everyone, @here or roles.
ALLOWED_MENTIONS = discord.AllowedMentions(
    everyone=False, users=True, roles=False, replied_user=False
)

_BUTTON_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "danger": discord.ButtonStyle.danger,
    None: discord.ButtonStyle.secondary,
}


# Core text marks bold and strike-through with single * and ~ (as chat apps commonly do);
# Discord's markdown doubles them (a single * would be italics there).
_BOLD = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_STRIKE = re.compile(r"(?<![~\w])~(?=\S)([^~\n]+?)(?<=\S)~(?![~\w])")


def to_markdown(text: str) -> str:
    return _STRIKE.sub(r"~~\1~~", _BOLD.sub(r"**\1**", text))


@dataclass
class Rendered:
    content: str
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    files: list[discord.File] = field(default_factory=list)

    def uploads(self) -> dict[str, Any]:
        """`files=` for a send, when there are any (an edit never carries them)."""
        return {"files": self.files} if self.files else {}


def render_message(message: ui.Message) -> Rendered:
    """One Discord message, as an edit needs: rows past the fifth are left out."""
    rows = [row for block in _actions(message) for row in _rows(block)]
    if len(rows) > limits.ROWS:
        log.warning("message has %d rows of components; Discord shows %d", len(rows), limits.ROWS)
    return _rendered(message, rows[: limits.ROWS])


def render_parts(message: ui.Message) -> list[Rendered]:
    """The messages to send for one: a new message starts where the next block's rows would
    pass the fifth, and takes with it the text written since the previous buttons (the
    question they answer). A single block of more than five rows is cut into fives."""
    parts: list[tuple[list[ui.Block], list[Row]]] = [([], [])]
    waiting: list[ui.Block] = []
    for block in message.blocks:
        if not isinstance(block, ui.Actions):
            waiting.append(block)
            continue
        block_rows = _rows(block)
        if parts[-1][1] and len(parts[-1][1]) + len(block_rows) > limits.ROWS:
            parts.append(([], []))
        parts[-1][0].extend(waiting)
        waiting = []
        for row in block_rows:
            if len(parts[-1][1]) == limits.ROWS:
                parts.append(([], []))
            parts[-1][1].append(row)
    parts[-1][0].extend(waiting)
    first, *more = parts
    rendered = [_rendered(message.model_copy(update={"blocks": first[0]}), first[1])]
    for blocks, rows in more:
        rendered.append(_rendered(ui.Message(text=CONTINUED, blocks=blocks), rows))
    return rendered


def _rendered(message: ui.Message, rows: list[Row]) -> Rendered:
    body = _body(message)
    images = [_image_embed(b) for b in message.blocks if isinstance(b, ui.Image)]
    if len(body) <= limits.CONTENT:
        content, embeds = body, images
    else:
        content = _mentions_line(body)
        embeds = [*_text_embeds(body), *images]
    files = [discord.File(io.BytesIO(a.data), filename=a.name) for a in message.attachments]
    return Rendered(content, embeds[: limits.EMBEDS_PER_MESSAGE], _view(rows), files)


def _body(message: ui.Message) -> str:
    """Headers as Discord headings, sections (with their fields) in order, small print as
    Discord subtext; the fallback text only when there are no sections or headers, since they
    already say the same thing."""
    has_sections = any(isinstance(b, ui.Section | ui.Header) for b in message.blocks)
    parts = [] if has_sections else [message.text]
    for block in message.blocks:
        if isinstance(block, ui.Header):
            parts.append("## " + block.text)
        elif isinstance(block, ui.Divider):
            parts.append(RULE)
        elif isinstance(block, ui.Section):
            parts.append(block.text)
            parts.extend(block.fields)
        elif isinstance(block, ui.Context):
            parts.append("-# " + " · ".join(block.texts))
    return to_markdown("\n".join(part for part in parts if part).strip()) or "\u200b"


def _mentions_line(body: str) -> str:
    mentions = " ".join(dict.fromkeys(f"<@{uid}>" for uid in MENTION.findall(body)))
    return mentions if len(mentions) <= limits.CONTENT else ""


def _text_embeds(body: str) -> list[discord.Embed]:
    budget = limits.EMBEDS_TOTAL
    if len(body) > budget:
        body = body[: budget - len(TRIMMED)].rstrip() + TRIMMED
    return [
        discord.Embed(description=chunk, colour=COLOUR)
        for chunk in split_text(body, limits.EMBED_DESCRIPTION)
    ]


def split_text(text: str, size: int) -> list[str]:
    """Chunks of at most `size` characters, cut at line breaks (or spaces) where possible."""
    chunks: list[str] = []
    while len(text) > size:
        cut = text.rfind("\n", 0, size + 1)
        if cut <= 0:
            cut = text.rfind(" ", 0, size + 1)
        if cut <= 0:
            cut = size
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip("\n ")
    return [*chunks, text] if text else chunks


def _image_embed(image: ui.Image) -> discord.Embed:
    embed = discord.Embed(colour=COLOUR, description=truncate(image.alt, 200) or None)
    return embed.set_image(url=image.url)


def _actions(message: ui.Message) -> list[ui.Actions]:
    return [block for block in message.blocks if isinstance(block, ui.Actions)]


def _rows(block: ui.Actions) -> list[Row]:
    """A block's buttons in rows of five; a select takes a row of its own."""
    rows: list[Row] = []
    row: Row = []
    for element in block.elements:
        if isinstance(element, ui.Select):
            if select := _select(element):
                rows.extend([row, [select]] if row else [[select]])
                row = []
            continue
        if len(row) == limits.BUTTONS_PER_ROW:
            rows.append(row)
            row = []
        if button := _button(element):
            row.append(button)
    return [*rows, row] if row else rows


def _view(rows: list[Row]) -> discord.ui.View | None:
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for number, items in enumerate(rows):
        for item in items:
            item.row = number
            view.add_item(item)
    return view


def _button(button: ui.Button) -> ActionButton | None:
    custom_id = ids.button_id(button.action_id, button.value)
    if custom_id is None:
        log.warning("button %s left out: its custom id would not fit", button.action_id)
        return None
    return ActionButton(
        button.action_id,
        button.value,
        discord.ui.Button(
            label=truncate(button.label, limits.BUTTON_LABEL),
            style=_BUTTON_STYLES[button.style],
            custom_id=custom_id,
        ),
    )


def _select(select: ui.Select) -> ActionSelect | None:
    custom_id = ids.select_id(select.action_id)
    options = [
        discord.SelectOption(label=truncate(o.label, limits.OPTION), value=o.value)
        for o in select.options
        if len(o.value) <= limits.OPTION
    ]
    if custom_id is None or not options:
        log.warning("select %s left out: custom id or options do not fit", select.action_id)
        return None
    if len(options) > limits.SELECT_OPTIONS:
        log.warning("select %s shows its first %d options", select.action_id, len(options))
        options = options[: limits.SELECT_OPTIONS]
    return ActionSelect(
        select.action_id,
        discord.ui.Select(
            custom_id=custom_id,
            placeholder=truncate(select.placeholder, limits.PLACEHOLDER),
            options=options,
        ),
    )


_USERS_HINT = "@mention or user ID; several separated by commas"


def render_form(form: ui.Form) -> discord.ui.Modal | None:
    """A modal of text inputs, or None if the form cannot be shown within Discord's limits.

    Discord modals cannot show errors next to fields: the client lists them in a follow-up.
    """
    custom_id = ids.form_id(form.form_id, form.metadata)
    fitted = _fit(form.inputs)
    if custom_id is None or fitted is None:
        return None
    shown, folded = fitted
    # An interaction token lives 15 minutes, so a modal left open longer cannot be answered.
    modal = discord.ui.Modal(
        title=truncate(form.title, limits.MODAL_TITLE), custom_id=custom_id, timeout=15 * 60
    )
    for field_ in shown:
        modal.add_item(_text_input(field_))
    if folded:
        modal.add_item(_folded_input(folded))
    return modal


def _fit(inputs: list[ui.Input]) -> tuple[list[ui.Input], list[ui.Input]] | None:
    """The inputs a modal shows one by one, and those folded into one "More" box: the last
    inputs that have a default or may stay empty, so that what must be typed keeps its own
    box. None when even that does not fit."""
    if len(inputs) <= limits.MODAL_INPUTS:
        return inputs, []
    excess = len(inputs) - limits.MODAL_INPUTS + 1
    foldable = [f for f in reversed(inputs) if f.initial or not f.required][:excess]
    names = ",".join(f.name for f in foldable)
    if len(foldable) < excess or len(f"{names}:{ids.FOLDED}") > limits.CUSTOM_ID:
        return None
    return [f for f in inputs if f not in foldable], [f for f in inputs if f in foldable]


def _folded_input(folded: list[ui.Input]) -> discord.ui.TextInput[Any]:
    """One box of `name: value` lines, prefilled with the defaults; the names travel in the
    custom id, so the submit is read back without the form (see inbound.form_values)."""
    choices = "; ".join(
        f"{f.name}: {' or '.join(o.value for o in f.options)}" for f in folded if f.options
    )
    return discord.ui.TextInput(
        custom_id=f"{','.join(f.name for f in folded)}:{ids.FOLDED}",
        label="More, one a line as name: value",
        style=discord.TextStyle.paragraph,
        placeholder=truncate(choices, limits.INPUT_PLACEHOLDER) or None,
        default="\n".join(f"{f.name}: {f.initial}" for f in folded),
        required=False,
        max_length=limits.INPUT_VALUE,
    )


def _text_input(field_: ui.Input) -> discord.ui.TextInput[Any]:
    placeholder = field_.placeholder
    if len(field_.label) > limits.INPUT_LABEL and not placeholder:
        # A long question (a pulse survey's free-text one) is cut in the label: the
        # placeholder shows more of it.
        placeholder = field_.label
    elif field_.kind == "users":
        placeholder = placeholder or _USERS_HINT
    elif field_.kind == "select" and field_.options:
        placeholder = placeholder or "One of: " + ", ".join(o.label for o in field_.options)
    limit = min(field_.max_length or limits.INPUT_VALUE, limits.INPUT_VALUE)
    return discord.ui.TextInput(
        # The kind travels in the custom id: the submit may reach another replica or a
        # restarted process that never saw this form.
        custom_id=f"{field_.name}:{field_.kind}",
        label=truncate(field_.label, limits.INPUT_LABEL),
        style=discord.TextStyle.paragraph if field_.kind == "textarea" else discord.TextStyle.short,
        placeholder=truncate(placeholder, limits.INPUT_PLACEHOLDER) or None,
        default=field_.initial[:limit] or None,
        required=field_.required,
        max_length=limit,
    )

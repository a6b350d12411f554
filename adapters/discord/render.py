"""bot.ui rendered for Discord: content, embeds and components within Discord's limits.

A message whose text fits in 2,000 characters goes out as plain content (mentions in content
notify people; in embeds they do not). Longer text moves into embed descriptions (4,096 each,
6,000 in all) and is trimmed past that, with the people it mentions kept in the content so
they are still notified. Buttons fill at most 5 rows of 5; what does not fit is left out and
logged rather than failing the whole message.
"""

import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import discord

from adapters.discord import ids
from adapters.discord.components import ActionButton, ActionSelect
from bot import ui
from bot.events import MENTION
from bot.safety import truncate

log = logging.getLogger(__name__)

CONTENT_LIMIT = 2000
EMBED_DESCRIPTION_LIMIT = 4096
EMBEDS_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
ROWS = 5
BUTTONS_PER_ROW = 5
BUTTON_LABEL_LIMIT = 80
SELECT_OPTIONS_LIMIT = 25
OPTION_LIMIT = 100
PLACEHOLDER_LIMIT = 150
MODAL_TITLE_LIMIT = 45
MODAL_INPUTS_LIMIT = 5
INPUT_LABEL_LIMIT = 45
INPUT_PLACEHOLDER_LIMIT = 100
INPUT_VALUE_LIMIT = 4000
COLOUR = discord.Colour(0x5865F2)
TRIMMED = "\n… (shortened: the full text did not fit in one Discord message)"

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
    body = _body(message)
    images = [_image_embed(b) for b in message.blocks if isinstance(b, ui.Image)]
    if len(body) <= CONTENT_LIMIT:
        content, embeds = body, images
    else:
        content = _mentions_line(body)
        embeds = [*_text_embeds(body), *images]
    files = [discord.File(io.BytesIO(a.data), filename=a.name) for a in message.attachments]
    return Rendered(content, embeds[:EMBEDS_PER_MESSAGE], _view(message), files)


def _body(message: ui.Message) -> str:
    """Sections (with their fields) in order, small print as Discord subtext; the fallback
    text only when there are no sections, since sections already say the same thing."""
    has_sections = any(isinstance(b, ui.Section) for b in message.blocks)
    parts = [] if has_sections else [message.text]
    for block in message.blocks:
        if isinstance(block, ui.Section):
            parts.append(block.text)
            parts.extend(block.fields)
        elif isinstance(block, ui.Context):
            parts.append("-# " + " · ".join(block.texts))
    return to_markdown("\n".join(part for part in parts if part).strip()) or "\u200b"


def _mentions_line(body: str) -> str:
    mentions = " ".join(dict.fromkeys(f"<@{uid}>" for uid in MENTION.findall(body)))
    return mentions if len(mentions) <= CONTENT_LIMIT else ""


def _text_embeds(body: str) -> list[discord.Embed]:
    budget = EMBEDS_TOTAL_LIMIT
    if len(body) > budget:
        body = body[: budget - len(TRIMMED)].rstrip() + TRIMMED
    return [
        discord.Embed(description=chunk, colour=COLOUR)
        for chunk in split_text(body, EMBED_DESCRIPTION_LIMIT)
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


def _view(message: ui.Message) -> discord.ui.View | None:
    rows: list[list[discord.ui.Item[Any]]] = []
    for block in message.blocks:
        if not isinstance(block, ui.Actions):
            continue
        row: list[discord.ui.Item[Any]] = []
        for element in block.elements:
            if isinstance(element, ui.Select):
                if select := _select(element):
                    rows.extend([row, [select]] if row else [[select]])
                    row = []
                continue
            if len(row) == BUTTONS_PER_ROW:
                rows.append(row)
                row = []
            if button := _button(element):
                row.append(button)
        if row:
            rows.append(row)
    if len(rows) > ROWS:
        log.warning("message has %d rows of components; Discord shows %d", len(rows), ROWS)
        rows = rows[:ROWS]
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
            label=truncate(button.label, BUTTON_LABEL_LIMIT),
            style=_BUTTON_STYLES[button.style],
            custom_id=custom_id,
        ),
    )


def _select(select: ui.Select) -> ActionSelect | None:
    custom_id = ids.select_id(select.action_id)
    options = [
        discord.SelectOption(label=truncate(o.label, OPTION_LIMIT), value=o.value)
        for o in select.options
        if len(o.value) <= OPTION_LIMIT
    ][:SELECT_OPTIONS_LIMIT]
    if custom_id is None or not options:
        log.warning("select %s left out: custom id or options do not fit", select.action_id)
        return None
    return ActionSelect(
        select.action_id,
        discord.ui.Select(
            custom_id=custom_id,
            placeholder=truncate(select.placeholder, PLACEHOLDER_LIMIT),
            options=options,
        ),
    )


_USERS_HINT = "@mention or user ID; several separated by commas"


def render_form(form: ui.Form) -> discord.ui.Modal | None:
    """A modal of text inputs, or None if the form cannot be shown within Discord's limits.

    Discord modals cannot show errors next to fields: the client lists them in a follow-up.
    """
    custom_id = ids.form_id(form.form_id, form.metadata)
    if custom_id is None or len(form.inputs) > MODAL_INPUTS_LIMIT:
        return None
    # An interaction token lives 15 minutes, so a modal left open longer cannot be answered.
    modal = discord.ui.Modal(
        title=truncate(form.title, MODAL_TITLE_LIMIT), custom_id=custom_id, timeout=15 * 60
    )
    for field_ in form.inputs:
        modal.add_item(_text_input(field_))
    return modal


def _text_input(field_: ui.Input) -> discord.ui.TextInput[Any]:
    placeholder = field_.placeholder
    if field_.kind == "users":
        placeholder = placeholder or _USERS_HINT
    elif field_.kind == "select" and field_.options:
        placeholder = placeholder or "One of: " + ", ".join(o.label for o in field_.options)
    limit = min(field_.max_length or INPUT_VALUE_LIMIT, INPUT_VALUE_LIMIT)
    return discord.ui.TextInput(
        # The kind travels in the custom id: the submit may reach another replica or a
        # restarted process that never saw this form.
        custom_id=f"{field_.name}:{field_.kind}",
        label=truncate(field_.label, INPUT_LABEL_LIMIT),
        style=discord.TextStyle.paragraph if field_.kind == "textarea" else discord.TextStyle.short,
        placeholder=truncate(placeholder, INPUT_PLACEHOLDER_LIMIT) or None,
        default=field_.initial[:limit] or None,
        required=field_.required,
        max_length=limit,
    )

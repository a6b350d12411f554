"""Rendering within Discord's limits, and reading what people typed."""

import discord

from adapters.discord import ids, limits
from adapters.discord.inbound import emoji_name, form_values, neutral, users_typed
from adapters.discord.render import (
    RULE,
    TRIMMED,
    render_form,
    render_message,
    render_parts,
    split_text,
)
from bot.contract import ui
from handlers.pulse.render import new_form

BOB = "100000000000000002"


def _button(n: int, **extra: str) -> ui.Button:
    return ui.Button(action_id=f"a{n}", label=f"Button {n}", value=str(n), **extra)


def test_short_text_is_plain_content_with_discord_markdown() -> None:
    rendered = render_message(ui.text_message(f"*Kudos* to <@{BOB}>, ~not~ done"))
    assert rendered.content == f"**Kudos** to <@{BOB}>, ~~not~~ done"
    assert rendered.embeds == [] and rendered.view is None


def test_long_text_moves_into_embeds_and_keeps_mentions_in_content() -> None:
    line = "word " * 19 + "\n"  # 96 characters a line
    rendered = render_message(ui.text_message(f"<@{BOB}> " + line * 55))  # about 5,300
    assert rendered.content == f"<@{BOB}>"
    descriptions = [e.description or "" for e in rendered.embeds]
    assert len(descriptions) == 2
    assert all(len(d) <= limits.EMBED_DESCRIPTION for d in descriptions)
    assert all(d.endswith("word") for d in descriptions)  # cut at a line break


def test_text_beyond_all_embeds_is_trimmed_with_a_note() -> None:
    rendered = render_message(ui.Message(text="x" * 20_000))
    total = sum(len(e.description or "") for e in rendered.embeds)
    assert total <= limits.EMBEDS_TOTAL
    assert (rendered.embeds[-1].description or "").endswith(TRIMMED)
    assert len(rendered.content) <= limits.CONTENT


def test_buttons_wrap_into_at_most_five_rows_of_five() -> None:
    many = [ui.Actions(elements=[_button(n) for n in range(12)])]
    many += [ui.Actions(elements=[_button(100 + n)]) for n in range(5)]
    view = render_message(ui.Message(text="pick", blocks=many)).view
    assert view is not None
    rows = [row["components"] for row in view.to_components()]
    assert [len(r) for r in rows] == [5, 5, 2, 1, 1]
    assert rows[0][0]["custom_id"] == "rp:a0:0"


def test_more_rows_than_a_message_holds_go_into_more_messages() -> None:
    """Each question's text goes with its buttons; a block of more than 5 rows is cut."""
    blocks: list[ui.Block] = [ui.Section(text="Survey")]
    for question in range(4):
        blocks.append(ui.Section(text=f"Question {question}"))
        blocks.append(ui.Actions(elements=[_button(10 * question + n) for n in range(8)]))
    blocks.append(ui.Context(texts=["Anonymous"]))
    blocks.append(ui.Actions(elements=[_button(100 + n) for n in range(27)]))
    parts = render_parts(ui.Message(text="Survey", blocks=blocks))
    shapes = [[len(row["components"]) for row in p.view.to_components()] for p in parts if p.view]
    assert shapes == [[5, 3, 5, 3], [5, 3, 5, 3], [5, 5, 5, 5, 5], [2]]
    assert [p.content for p in parts] == [
        "Survey\nQuestion 0\nQuestion 1",
        "Question 2\nQuestion 3",
        "(continued)\n-# Anonymous",
        "(continued)",
    ]
    # One message as before when everything fits.
    [single] = render_parts(ui.Message(text="t", blocks=blocks[:3]))
    assert single.content == "Survey\nQuestion 0"


def test_labels_are_trimmed_and_buttons_whose_id_cannot_fit_are_left_out() -> None:
    long_label = ui.Button(action_id="ok", label="L" * 200, value="v")
    too_long = ui.Button(action_id="no", label="x", value="v" * 120)
    view = render_message(
        ui.Message(text="t", blocks=[ui.Actions(elements=[long_label, too_long])])
    ).view
    assert view is not None
    [button] = view.children
    assert isinstance(button, discord.ui.DynamicItem)
    assert len(button.item.label or "") == 80


def test_a_select_takes_a_row_of_its_own() -> None:
    select = ui.Select(
        action_id="pick",
        placeholder="Choose",
        options=[ui.Option(value=str(n), label=f"Option {n}") for n in range(30)],
    )
    blocks = [ui.Actions(elements=[_button(1), select, _button(2)])]
    view = render_message(ui.Message(text="t", blocks=blocks)).view
    assert view is not None
    rows = [row["components"] for row in view.to_components()]
    assert [r[0]["type"] for r in rows] == [2, 3, 2]
    assert rows[1][0]["custom_id"] == "rps:pick" and len(rows[1][0]["options"]) == 25


def test_form_becomes_a_modal_of_text_inputs() -> None:
    form = ui.Form(
        form_id="kudos.give",
        title="Give kudos to someone who really deserves it today",
        metadata="m1",
        inputs=[
            ui.Input(name="to", label="Who?", kind="users"),
            ui.Input(name="why", label="Why?", kind="textarea", max_length=9000),
            ui.Input(
                name="value",
                label="Value",
                kind="select",
                required=False,
                options=[ui.Option(value="care", label="#care")],
            ),
        ],
    )
    modal = render_form(form)
    assert modal is not None and modal.custom_id == "rpf:kudos.give:m1"
    assert len(modal.title) <= 45
    to, why, value = modal.children
    assert isinstance(to, discord.ui.TextInput) and to.custom_id == "to:users"
    assert "@mention" in (to.placeholder or "")
    assert isinstance(why, discord.ui.TextInput) and why.max_length == 4000
    assert why.style is discord.TextStyle.paragraph
    assert isinstance(value, discord.ui.TextInput) and value.placeholder == "One of: #care"


def test_a_question_too_long_for_a_label_is_shown_in_the_placeholder() -> None:
    question = "What would make the next quarter better for you and for your team?"
    form = ui.Form(
        form_id="pulse.text",
        title="Your answer",
        inputs=[ui.Input(name="answer", label=question, kind="textarea")],
    )
    modal = render_form(form)
    assert modal is not None
    [field] = modal.children
    assert isinstance(field, discord.ui.TextInput)
    assert len(field.label or "") <= limits.INPUT_LABEL and field.placeholder == question


def test_a_form_too_big_for_discord_is_not_rendered() -> None:
    inputs = [ui.Input(name=f"f{n}", label="x") for n in range(6)]
    assert render_form(ui.Form(form_id="big", title="Big", inputs=inputs)) is None


def test_inputs_past_five_with_defaults_share_one_box_and_come_back_by_name() -> None:
    form = new_form("Europe/Paris", 5, "en")
    assert len(form.inputs) > limits.MODAL_INPUTS
    modal = render_form(form)
    assert modal is not None and len(modal.children) == limits.MODAL_INPUTS
    *own, more = modal.children
    assert isinstance(more, discord.ui.TextInput)
    assert [child.custom_id for child in own] == [
        "title:text",
        "questions:textarea",
        "audience:text",
        "schedule:text",
    ]
    folded = "timezone,anonymous,reminders,close,language:folded"
    assert more.custom_id == folded
    assert more.default == (
        "timezone: Europe/Paris\nanonymous: yes\nreminders: targeted\nclose: 5\nlanguage: en"
    )
    assert "reminders: targeted or strict" in (more.placeholder or "")

    typed = {"title:text": "Week", folded: more.default}
    typed[folded] = "Anonymous: no\nclose:  9\nnot a line"
    components = [
        {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
        for key, value in typed.items()
    ]
    assert form_values(components) == {
        "title": "Week",
        "timezone": "",
        "anonymous": "no",
        "reminders": "",
        "close": "9",
        "language": "",
    }


def test_users_typed_into_a_form() -> None:
    typed = f"<@!{BOB}>, 100000000000000003 @ann,<@{BOB}>"
    assert users_typed(typed) == [BOB, "100000000000000003", "ann"]


def test_emoji_names_match_other_platforms() -> None:
    assert emoji_name(discord.PartialEmoji(name="🎉")) == "tada"
    assert emoji_name(discord.PartialEmoji(name="👍🏽")) == "thumbsup"
    assert emoji_name(discord.PartialEmoji(name="kudos", id=123)) == "kudos"


def test_nickname_mentions_become_neutral() -> None:
    assert neutral(f"hi <@!{BOB}> and <@&5>") == f"hi <@{BOB}> and <@&5>"


def test_custom_ids() -> None:
    assert ids.button_id("kudos.undo", "b1") == "rp:kudos.undo:b1"
    assert ids.button_id("has:colon", "x") is None
    assert ids.parse_form_id("rpf:kudos.give:meta:data") == ("kudos.give", "meta:data")
    assert ids.parse_form_id("other") is None
    assert ids.is_component_of_ours("rp:a:b") and ids.is_component_of_ours("rps:a")
    assert not ids.is_component_of_ours("v0-x")
    assert ids.nonce("discord:1:0") == ids.nonce("discord:1:0") != ids.nonce("discord:1:1")
    assert len(ids.nonce("k")) == 25


def test_split_text_prefers_line_breaks() -> None:
    assert split_text("aaa\nbbb\nccc", 7) == ["aaa\nbbb", "ccc"]
    assert split_text("abcdefgh", 3) == ["abc", "def", "gh"]


def test_a_header_is_a_heading_fields_are_lines_and_a_divider_a_rule() -> None:
    rendered = render_message(
        ui.Message(
            text="Results",
            blocks=[
                ui.Header(text="Results of pulse survey #1"),
                ui.Section(text="", fields=["Run: 2027-01-04", "Participation: 83%"]),
                ui.Divider(),
                ui.Section(text="*1. How was your week?*"),
            ],
        )
    )
    assert rendered.content.splitlines() == [
        "## Results of pulse survey #1",
        "Run: 2027-01-04",
        "Participation: 83%",
        RULE,
        "**1. How was your week?**",
    ]

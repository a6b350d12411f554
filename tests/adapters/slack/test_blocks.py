"""Block Kit rendering: escaping, mentions, and Slack's size limits."""

import json

from adapters.slack.blocks import modal, render, split_text
from adapters.slack.mrkdwn import from_input, from_slack, to_slack
from bot.contract.ui import (
    Actions,
    Button,
    Context,
    Divider,
    Form,
    Header,
    Image,
    Input,
    Message,
    Option,
    Section,
    Select,
)
from tests.adapters.slack.fake_block_kit import message_problems, view_problems


def test_text_is_escaped_but_neutral_mentions_pass() -> None:
    assert to_slack("<@U1> & ‹b› <!here> <@U2>") == "<@U1> &amp; ‹b› &lt;!here&gt; <@U2>"


def test_slack_markup_becomes_neutral_text() -> None:
    slack = "hi <@U1|ann> in <#C1|general>, see <https://x.test|docs> &amp; <!here> &lt;@U9&gt;"
    assert from_slack(slack) == "hi <@U1> in #general, see docs & @here ‹@U9›"
    assert from_input("<@U9> <b>") == "‹@U9› ‹b›"


def test_every_block_kind() -> None:
    text, blocks = render(
        Message(
            text="Vote",
            blocks=[
                Section(text="*Ideas*", fields=["a", "b"]),
                Actions(
                    elements=[
                        Button(action_id="vote", label="Up", value="1", style="primary"),
                        Button(action_id="vote", label="Up", value="2"),
                        Select(
                            action_id="stage",
                            placeholder="Stage",
                            options=[Option(value="done", label="Done")],
                        ),
                    ]
                ),
                Image(url="https://x.test/a.png", alt="chart"),
                Context(texts=["#value"]),
            ],
        )
    )
    assert text == "Vote"
    assert [b["type"] for b in blocks] == ["section", "actions", "image", "context"]
    assert blocks[0]["fields"] == [{"type": "mrkdwn", "text": "a"}, {"type": "mrkdwn", "text": "b"}]
    ids = [e["action_id"] for e in blocks[1]["elements"]]
    assert ids == ["vote", "vote~2", "stage"]
    assert blocks[1]["elements"][2]["options"][0] == {
        "text": {"type": "plain_text", "text": "Done", "emoji": True},
        "value": "done",
    }


def test_oversized_content_is_split_and_trimmed() -> None:
    words = " ".join(f"word{i}" for i in range(2000))  # about 17,000 characters
    _, blocks = render(
        Message(
            text=words,
            blocks=[
                Section(text=words, fields=[f"field {i}" for i in range(23)]),
                Actions(elements=[Button(action_id="a", label="x" * 200)]),
                *[Context(texts=["c"]) for _ in range(60)],
            ],
        )
    )
    assert len(blocks) == 50
    sections = [b for b in blocks if b["type"] == "section"]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in sections)
    assert all(len(b.get("fields", [])) <= 10 for b in sections)
    assert sum(len(b.get("fields", [])) for b in sections) == 23
    joined = " ".join(b["text"]["text"] for b in sections if "text" in b)
    assert joined.split() == words.split()
    button = next(b for b in blocks if b["type"] == "actions")["elements"][0]
    assert len(button["text"]["text"]) == 75 and button["text"]["text"].endswith("…")
    assert blocks[-1]["elements"][0]["text"].startswith("_…and ")


def test_long_plain_text_becomes_sections() -> None:
    text, blocks = render(Message(text="a" * 7000))
    assert len(text) <= 3000
    assert [len(b["text"]["text"]) for b in blocks] == [3000, 3000, 1000]


def test_split_never_breaks_an_escape_or_a_mention() -> None:
    escape = split_text("x" * 2997 + "&amp;" + "y" * 10, 3000)
    assert escape == ["x" * 2997, "&amp;" + "y" * 10]
    mention = split_text("x" * 2994 + "&amp;<@U1>" + "y" * 10, 3000)
    assert mention == ["x" * 2994 + "&amp;", "<@U1>" + "y" * 10]


def test_form_as_modal() -> None:
    form = Form(
        form_id="pulse.answer",
        title="A very long survey title indeed",
        inputs=[
            Input(name="who", label="Who", kind="users", initial="U1,U2"),
            Input(name="score", label="Score", kind="number", required=False),
            Input(
                name="stage",
                label="Stage",
                kind="select",
                options=[Option(value="a", label="A"), Option(value="b", label="B")],
                initial="b",
            ),
            Input(name="why", label="Why", kind="textarea", max_length=500, placeholder="Tell us"),
        ],
        metadata="survey:7",
    )
    view = modal(form, "C1")
    assert view["callback_id"] == "pulse.answer"
    assert len(view["title"]["text"]) <= 24
    assert view["private_metadata"] == '{"metadata": "survey:7", "channel": "C1"}'
    who, score, stage, why = view["blocks"]
    assert who["element"] == {
        "type": "multi_users_select",
        "initial_users": ["U1", "U2"],
        "action_id": "who",
    }
    assert score["optional"] is True
    assert score["element"]["type"] == "number_input"
    assert stage["element"]["initial_option"]["value"] == "b"
    assert why["element"]["multiline"] is True
    assert why["element"]["max_length"] == 500


def test_every_field_is_held_to_slack_limits() -> None:
    """Whatever a handler puts in, Slack (the fake's checks) takes the message."""
    long_id = "x" * 300
    options = [Option(value=f"{i}" * 200, label="o" * 100) for i in range(150)]
    _, blocks = render(
        Message(
            text="Everything too long",
            blocks=[
                Section(text="s" * 3500, fields=["f" * 2500]),
                Actions(
                    elements=[
                        Button(action_id=long_id, label="b" * 100, value="v" * 2500),
                        Select(action_id="pick", placeholder="p" * 200, options=options),
                    ]
                ),
                Image(url="https://x.test/" + "a" * 3000, alt="alt " * 600),
                Context(texts=["c" * 2500]),
            ],
        )
    )
    assert message_problems(blocks) == []
    _, section, actions, image, context = blocks  # the long text went into two sections
    assert [len(f["text"]) for f in section["fields"]] == [2000]
    button, select = actions["elements"]
    assert (len(button["action_id"]), len(button["value"])) == (255, 2000)
    assert len(select["options"]) == 100
    assert {len(o["value"]) for o in select["options"]} == {150}
    assert {len(o["text"]["text"]) for o in select["options"]} == {75}
    assert len(select["placeholder"]["text"]) == 150
    assert (len(image["image_url"]), len(image["alt_text"])) == (3000, 2000)
    assert context["elements"][0]["text"].endswith("…")


def test_modal_fields_are_held_to_slack_limits() -> None:
    form = Form(
        form_id="ideas.submit",
        title="Share an idea with the whole company",
        submit_label="Send it to the ideas channel now",
        inputs=[
            Input(
                name="details",
                label="l" * 2500,
                kind="textarea",
                max_length=4000,
                initial="i" * 5000,
                placeholder="p" * 200,
            ),
            *[Input(name=f"n{i}", label="More") for i in range(120)],
        ],
        metadata="m" * 4000,
    )
    view = modal(form, "C1")
    assert view_problems(view) == []
    assert view["title"]["text"] == "Share an idea with the…"
    assert view["submit"]["text"] == "Send it to the ideas ch…"
    details = view["blocks"][0]
    assert details["element"]["max_length"] == 3000
    assert details["element"]["initial_value"] == "i" * 3000
    assert len(details["label"]["text"]) == 2000
    assert len(view["blocks"]) == 100
    # Cut to fit, the metadata still parses and still names the channel.
    private = json.loads(view["private_metadata"])
    assert private["channel"] == "C1"
    assert len(view["private_metadata"]) <= 3000 and private["metadata"].startswith("mmm")


def test_a_prefilled_value_fits_the_input() -> None:
    form = Form(
        form_id="f",
        title="Edit",
        inputs=[Input(name="title", label="Title", max_length=10, initial="a" * 40)],
    )
    element = modal(form, "C1")["blocks"][0]["element"]
    assert (element["max_length"], element["initial_value"]) == (10, "a" * 10)


def test_a_header_and_a_divider_are_their_block_kit_blocks() -> None:
    _, blocks = render(
        Message(
            text="Results",
            blocks=[
                Header(text="Results of pulse survey #1 " + "“x”" * 60),
                Section(text="", fields=["Run: 2027-01-04", "Participation: 83%"]),
                Divider(),
                Section(text="*1. How was your week?*"),
            ],
        )
    )
    assert [b["type"] for b in blocks] == ["header", "section", "divider", "section"]
    assert blocks[0]["text"]["type"] == "plain_text" and len(blocks[0]["text"]["text"]) <= 150
    assert [f["text"] for f in blocks[1]["fields"]] == ["Run: 2027-01-04", "Participation: 83%"]
    assert message_problems(blocks) == []

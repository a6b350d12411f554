"""Block Kit rendering: escaping, mentions, and Slack's size limits."""

from adapters.slack.blocks import modal, render, split_text
from adapters.slack.mrkdwn import from_input, from_slack, to_slack
from bot.ui import Actions, Button, Context, Form, Image, Input, Message, Option, Section, Select


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

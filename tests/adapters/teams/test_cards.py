"""bot.contract.ui as Adaptive Cards 1.5, and Teams text as core text (both directions of
markup)."""

from microsoft_agents.activity import Activity

from adapters.teams import cards, inbound
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
from tests.adapters.teams import payloads as P

NAMES = {"29:ann": "Ann <Lee>"}


def test_blocks_become_card_elements() -> None:
    message = Message(
        text="Hi <@29:ann>",
        blocks=[
            Section(text="*Weekly* <@29:ann> & co", fields=["Given: 3", "no colon"]),
            Context(texts=["#customer", "today"]),
            Image(url="https://example.com/a.png", alt="chart"),
            Actions(
                elements=[
                    Button(action_id="vote", label="Upvote", value="7", style="primary"),
                    Select(
                        action_id="pick",
                        placeholder="Choose a week",
                        options=[Option(value="w1", label="Week 1")],
                    ),
                ]
            ),
        ],
    )
    card = cards.card(message, NAMES)
    assert card["version"] == "1.5" and card["fallbackText"] == "Hi @Ann <Lee>"
    text, facts, small, image, choice, select_button, buttons = card["body"]
    assert text["text"] == "**Weekly** <at>Ann &lt;Lee&gt;</at> &amp; co"
    assert facts["facts"] == [{"title": "Given", "value": "3"}, {"title": "", "value": "no colon"}]
    assert small["isSubtle"] and small["text"] == "#customer · today"
    assert image == {"type": "Image", "url": "https://example.com/a.png", "altText": "chart"}
    assert choice["type"] == "Input.ChoiceSet" and choice["id"] == "pick"
    (choose,) = select_button["actions"]
    assert choose["verb"] == "pick" and choose["data"] == {inbound.INPUT_KEY: "pick"}
    (vote,) = buttons["actions"]
    assert vote["type"] == "Action.Execute" and vote["verb"] == "vote"
    assert vote["data"] == {inbound.VALUE_KEY: "7"} and vote["style"] == "positive"
    assert vote["fallback"]["data"] == {inbound.VALUE_KEY: "7", inbound.VERB_KEY: "vote"}
    (entity,) = card["msteams"]["entities"]
    assert entity["mentioned"] == {"id": "29:ann", "name": "Ann <Lee>"}


def test_plain_message_is_text_with_mention_entities() -> None:
    activity = cards.activity(Message(text="thanks <@29:ann> <@29:unknown>"), NAMES)
    assert activity.attachments is None
    assert activity.text == "thanks <at>Ann &lt;Lee&gt;</at> <at>29:unknown</at>"
    assert [e.mentioned.id for e in activity.entities] == ["29:ann", "29:unknown"]


def test_form_card_shows_errors_and_carries_itself() -> None:
    form = Form(
        form_id="kudos.give",
        title="Give kudos",
        inputs=[
            Input(name="to", label="Who?", kind="users"),
            Input(name="why", label="Why?", kind="textarea", max_length=50, initial="ok"),
            Input(name="n", label="How many?", kind="number", required=False),
            Input(name="v", label="Value", kind="select", options=[Option(value="a", label="A")]),
        ],
        metadata="m1",
    )
    card = cards.form_card(form, {"why": "Too short.", "": "Try again."})
    types = [item["type"] for item in card["body"]]
    assert types == [
        "TextBlock",
        "TextBlock",
        "Input.ChoiceSet",
        "Input.Text",
        "TextBlock",
        "Input.Number",
        "Input.ChoiceSet",
        "ActionSet",
    ]
    assert card["body"][1]["text"] == "Try again." and card["body"][4]["text"] == "Too short."
    assert card["body"][3]["value"] == "ok" and card["body"][3]["maxLength"] == 50
    (submit,) = card["body"][-1]["actions"]
    assert submit["verb"] == "rapport.form:kudos.give"
    assert cards.submitted_form(submit["data"]) == form
    assert submit["data"][inbound.METADATA_KEY] == "m1"
    assert cards.submitted_form({inbound.FORM_KEY: "{broken"}) is None


def test_typed_text_becomes_neutral_and_cannot_forge_mentions() -> None:
    raw = P.channel_message(
        "http://127.0.0.1:9/",
        P.ANN,
        "{Rapport} kudos {Bob Ray} &lt;@29:evil&gt; <b>great</b>&nbsp;demo",
        (P.BOT, P.BOB),
    )
    activity = Activity.model_validate(raw)
    text, addressed = inbound.spoken_text(activity)
    assert addressed
    assert text == f"kudos <@{P.BOB['id']}> ‹@29:evil› great demo"
    event = inbound.message_event(activity, inbound.actor(activity), {"kudos"})
    assert event.kind == "command" and event.mentions() == [P.BOB["id"]]
    assert event.workspace == P.TENANT and not event.is_dm
    assert event.actor.timezone == "Europe/London"


def test_reaction_names() -> None:
    assert inbound.reaction_name("1f389_tada") == "tada"
    assert inbound.reaction_name("like") == "like"
    assert inbound.reaction_name("1f44d-1f3fb_thumbsup") == "thumbsup"


def test_personal_chat_commands_and_plain_messages() -> None:
    url = "http://127.0.0.1:9/"
    ask = Activity.model_validate(
        P.personal_message(url, P.ANN, P.ANN_CHAT, "Ask how do I claim expenses?")
    )
    event = inbound.message_event(ask, inbound.actor(ask), {"ask", "kudos"})
    assert event.kind == "command" and event.name == "ask"
    assert event.text == "how do I claim expenses?" and event.is_dm
    chat = Activity.model_validate(P.personal_message(url, P.ANN, P.ANN_CHAT, "hello there"))
    plain = inbound.message_event(chat, inbound.actor(chat), {"ask"})
    assert plain.kind == "message" and plain.text == "hello there"


def test_a_header_is_large_type_and_a_divider_a_separator() -> None:
    card = cards.card(
        Message(
            text="Results",
            blocks=[
                Header(text="Results"),
                Section(text="", fields=["Run: 2027-01-04"]),
                Divider(),
                Section(text="*1. How was your week?*"),
            ],
        ),
        NAMES,
    )
    header, facts, question = card["body"]
    assert (header["size"], header["weight"], header["text"]) == ("Large", "Bolder", "Results")
    assert facts["type"] == "FactSet" and "separator" not in facts
    assert question["type"] == "TextBlock" and question["separator"] is True

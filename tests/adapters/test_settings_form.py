"""The personal settings form fits every platform: a Slack modal, a Teams card, a Discord modal
(five inputs at most, labels of at most 45 characters)."""

from datetime import UTC, datetime
from typing import Any

from adapters.discord.render import INPUT_LABEL_LIMIT, render_form
from adapters.slack.blocks import modal
from adapters.slack.limits import ANY, TEXT_LIMITS
from adapters.teams.cards import form_card
from bot.models import Person
from handlers.profile.render import settings_form

PERSON = Person(
    workspace_id=1,
    platform_user_id="U1",
    timezone="Asia/Tokyo",
    preferences={"quiet_hours": {"start": "22:00", "end": "07:00"}, "muted": ["coffee"]},
    created_at=datetime(2027, 1, 4, tzinfo=UTC),
)
FORM = settings_form(PERSON)
NAMES = ["timezone", "hours", "quiet", "nudges", "pause"]


def test_the_form_is_prefilled_from_the_person() -> None:
    initial = {field.name: field.initial for field in FORM.inputs}
    assert initial == {
        "timezone": "Asia/Tokyo en-GB",
        "hours": "",
        "quiet": "22:00-07:00",
        "nudges": "kudos, pulse, ideas, qa, mentoring, digest",
        "pause": "",
    }


def test_slack_shows_it_as_a_modal_with_every_field() -> None:
    view = modal(FORM, "C1")
    assert view["type"] == "modal" and view["callback_id"] == "profile.settings"
    assert [block["block_id"] for block in view["blocks"]] == NAMES
    for block in view["blocks"]:
        placeholder = block["element"].get("placeholder", {}).get("text", "")
        assert len(placeholder) <= TEXT_LIMITS[ANY, "placeholder"] and not placeholder.endswith("…")
    assert view["blocks"][2]["element"]["initial_value"] == "22:00-07:00"


def test_teams_shows_it_as_a_card_with_every_field() -> None:
    card = form_card(FORM)
    ids = [item["id"] for item in _items(card) if str(item.get("type", "")).startswith("Input.")]
    assert ids == NAMES


def test_discord_shows_it_as_a_modal_with_whole_labels() -> None:
    rendered = render_form(FORM)
    assert rendered is not None
    labels = [child.label for child in rendered.children]  # type: ignore[attr-defined]
    assert labels == [field.label for field in FORM.inputs]
    assert all(len(label) <= INPUT_LABEL_LIMIT for label in labels)


def _items(card: Any) -> list[dict[str, Any]]:
    """Every element of a card, however deeply nested."""
    found: list[dict[str, Any]] = []
    if isinstance(card, dict):
        found.append(card)
        for value in card.values():
            found.extend(_items(value))
    elif isinstance(card, list):
        for value in card:
            found.extend(_items(value))
    return found

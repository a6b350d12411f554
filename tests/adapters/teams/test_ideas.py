"""A card everyone sees in a channel, refreshed in place by a click: the idea's Upvote count."""

import json

from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld
from tests.adapters.teams.test_kudos import card_of, card_text


async def test_upvote_refreshes_the_idea_card_through_the_invoke_response(
    teams: TeamsWorld,
) -> None:
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    idea = P.channel_message(
        teams.url, P.ANN, "{Rapport} idea Standing desks — for the whole floor", (P.BOT,)
    )
    assert (await teams.post(idea)).status == 202
    await teams.settle()
    (post,) = teams.connector.sent(P.IDEAS_CHANNEL)
    card = card_of(post)
    assert "Upvote (0)" in card_text(card)
    vote = next(
        action
        for item in card["body"]
        if item["type"] == "ActionSet"
        for action in item["actions"]
        if action["verb"] == "ideas.vote"
    )
    post_id = f"act-{[c for c in teams.connector.calls if c.method != 'GET'].index(post) + 1}"

    click = P.card_action(
        teams.url, P.BOB, "ideas.vote", vote["data"], reply_to=post_id, channel=P.IDEAS_CHANNEL
    )
    response = await teams.post(click)
    assert response.status == 200
    answer = await response.json()
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "Upvote (1)" in card_text(answer["value"])

    before = len(teams.connector.calls)
    await teams.settle()
    later = teams.connector.calls[before:]
    # The refreshed card went back in the invoke response: no separate edit of the post.
    assert [c for c in later if c.method == "PUT"] == []
    # Bob's own confirmation (Teams has no ephemeral messages) reaches his personal chat.
    (created,) = [c for c in later if c.path == "/v3/conversations"]
    assert created.body["members"] == [{"id": P.BOB["id"]}]
    assert any("You voted for #1" in json.dumps(c.body) for c in later)


async def test_the_manifest_hint_title_colon_details_is_understood(teams: TeamsWorld) -> None:
    """Teams' command menu suggests `idea Title: details`; the dash form works as well."""
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    for text in ("idea Standing desks: for the whole floor", "idea Bike racks — by the door"):
        said = P.channel_message(teams.url, P.ANN, "{Rapport} " + text, (P.BOT,))
        assert (await teams.post(said)).status == 202
    await teams.settle()
    first, second = (card_text(card_of(post)) for post in teams.connector.sent(P.IDEAS_CHANNEL))
    assert "#1 Standing desks" in first and "for the whole floor" in first
    assert "Standing desks:" not in first
    assert "#2 Bike racks" in second and "by the door" in second

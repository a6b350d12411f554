"""Slack: a channel's members, group DMs, and an idea's discussion thread, against the fake
Web API (and, for the thread, the whole bot behind signed requests)."""

from collections.abc import AsyncIterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from adapters.slack.platform import SlackPlatform
from bot.contract.platform import Delivery, PermanentFailure
from bot.contract.ui import Destination, Message
from bot.models import Interaction, OutboxMessage, Person
from bot.store.db import Database
from handlers.ideas.tables import Idea
from tests.adapters.slack.conftest import GENERAL, SlackWorld
from tests.adapters.slack.fake_slack import TEAM, FakeSlack

IDEAS = "C0IDEAS"


@pytest.fixture
async def platform(fake_slack: FakeSlack) -> AsyncIterator[SlackPlatform]:
    yield SlackPlatform(AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url))


async def test_channel_members_are_read_page_by_page_without_bots_or_the_departed(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    fake_slack.user("U0CAT", "cat")
    fake_slack.user("U0GONE", "gone", deleted=True)
    fake_slack.members[GENERAL] = ["U0ANN", "UBOT", "U0BOB", "U0GONE", "U0CAT", "U0NOBODY"]

    assert await platform.channel_members(TEAM, "#general") == ["U0ANN", "U0BOB", "U0CAT"]

    pages = fake_slack.ok("conversations.members")
    assert [p.get("cursor") for p in pages] == [None, "2", "4"]
    assert all(p["channel"] == GENERAL for p in pages)
    # Profiles come from the people cache the second time.
    profiles = len(fake_slack.ok("users.info"))
    assert await platform.channel_members(TEAM, GENERAL) == ["U0ANN", "U0BOB", "U0CAT"]
    assert len(fake_slack.ok("users.info")) == profiles


async def test_a_rate_limited_page_of_members_is_asked_again_not_the_first(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    fake_slack.user("U0CAT", "cat")
    fake_slack.members[GENERAL] = ["U0ANN", "U0BOB", "U0CAT"]
    fake_slack.limited_pages[("conversations.members", "2")] = 2
    fake_slack.retry_after = 0

    assert await platform.channel_members(TEAM, GENERAL) == ["U0ANN", "U0BOB", "U0CAT"]

    pages = [c for c in fake_slack.calls if c.method == "conversations.members"]
    assert [(p.args.get("cursor"), p.status) for p in pages] == [
        (None, 200),
        ("2", 429),
        ("2", 429),
        ("2", 200),
    ]


async def test_a_limit_longer_than_a_minute_is_not_waited_for(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    fake_slack.members[GENERAL] = ["U0ANN", "U0BOB", "U0NOBODY"]
    fake_slack.limited_pages[("conversations.members", "2")] = 1
    fake_slack.retry_after = 600
    with pytest.raises(SlackApiError, match="ratelimited"):
        await platform.channel_members(TEAM, GENERAL)


async def test_members_of_a_channel_that_is_not_there_are_a_permanent_failure(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    with pytest.raises(PermanentFailure):
        await platform.channel_members(TEAM, "#no-such-channel")
    fake_slack.channels["secret"] = "C0SECRET"
    with pytest.raises(PermanentFailure, match="channel_not_found"):
        await platform.channel_members(TEAM, "secret")


async def test_a_group_message_opens_one_conversation_with_everyone_and_edits_it(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    group = Destination(kind="group", users=["U0BOB", "U0ANN"])
    sent = await platform.send(
        Delivery(key="g1", workspace=TEAM, destination=group, message=Message(text="Meet"))
    )
    [opened] = fake_slack.ok("conversations.open")
    assert opened["users"] == "U0ANN,U0BOB"
    assert sent is not None and sent.startswith("GU0ANNU0BOB:")
    edited = await platform.send(
        Delivery(
            key="g2",
            workspace=TEAM,
            destination=group,
            message=Message(text="Ann accepted"),
            edit_message_id=sent,
        )
    )
    assert edited == sent
    [update] = fake_slack.ok("chat.update")
    assert (update["channel"], update["text"]) == ("GU0ANNU0BOB", "Ann accepted")
    # The same group again reuses the conversation.
    await platform.send(
        Delivery(key="g3", workspace=TEAM, destination=group, message=Message(text="Again"))
    )
    assert len(fake_slack.ok("conversations.open")) == 1


async def test_an_idea_opens_its_thread_and_replies_there_are_recorded(
    slack: SlackWorld, db: Database
) -> None:
    fake = slack.fake
    fake.channels["ideas"] = IDEAS
    fake.member_of.add(IDEAS)
    await slack.command("U0ANN", "/idea", "Shorter onboarding checklist -- keep 10 items")
    await slack.settled(1)

    post, opener = [p for p in fake.ok("chat.postMessage") if p["channel"] == IDEAS]
    assert "Shorter onboarding checklist" in post["text"] and "thread_ts" not in post
    idea_ts = opener["thread_ts"]
    async with db.session() as session:
        idea = (await session.exec(select(Idea))).one()
        posted = (
            await session.exec(select(OutboxMessage).where(OutboxMessage.key == idea.message_key))
        ).one()
    assert posted.platform_message_id == f"{IDEAS}:{idea_ts}"
    assert "Discuss idea #1 here" in opener["text"]

    reply = {
        "type": "message",
        "channel": IDEAS,
        "channel_type": "channel",
        "user": "U0BOB",
        "text": "Could it live in the wiki?",
        "ts": "1800000100.000001",
        "thread_ts": idea_ts,
    }
    await slack.event(reply)
    # The thread's parent itself, a bot's reply and a mention of the bot are not comments.
    await slack.event({**reply, "ts": idea_ts, "user": "U0BOB"})
    await slack.event({**reply, "ts": "1800000101.000001", "bot_id": "B1"})
    await slack.event({**reply, "ts": "1800000102.000001", "text": "<@UBOT> help"})
    await slack.settled(5)

    async with db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        edges = (await session.exec(select(Interaction))).all()
    comments = [
        (people[e.source_id], people[e.target_id]) for e in edges if e.kind == "idea_comment"
    ]
    assert comments == [("U0BOB", "U0ANN")]

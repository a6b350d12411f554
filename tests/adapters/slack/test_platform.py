"""SlackPlatform against the fake Web API: destinations, edits, failures, people."""

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import platform as slack_platform
from adapters.slack.platform import SlackPlatform
from bot.contract.platform import Delivery, PermanentFailure, RateLimited
from bot.contract.ui import Destination, Image, Message
from tests.adapters.slack.conftest import GENERAL, KUDOS
from tests.adapters.slack.fake_slack import TEAM, FakeSlack


@pytest.fixture
async def platform(fake_slack: FakeSlack) -> AsyncIterator[SlackPlatform]:
    yield SlackPlatform(AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url))


def delivery(
    key: str, destination: Destination, text: str = "hi", edit: str | None = None
) -> Delivery:
    return Delivery(
        key=key,
        workspace=TEAM,
        destination=destination,
        message=Message(text=text),
        edit_message_id=edit,
    )


async def test_channel_names_resolve_once_and_ids_pass_through(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    first = await platform.send(delivery("k1", Destination(kind="channel", channel="kudos")))
    second = await platform.send(delivery("k2", Destination(kind="channel", channel="#kudos")))
    third = await platform.send(delivery("k3", Destination(kind="channel", channel=GENERAL)))
    assert [m.split(":")[0] for m in (first, second, third) if m] == [KUDOS, KUDOS, GENERAL]
    assert fake_slack.methods().count("conversations.list") == 1


async def test_thread_edit_and_resend(platform: SlackPlatform, fake_slack: FakeSlack) -> None:
    posted = await platform.send(delivery("k1", Destination(kind="channel", channel=GENERAL)))
    assert posted is not None
    reply = await platform.send(
        delivery("k2", Destination(kind="thread", channel=GENERAL, thread=posted))
    )
    assert reply is not None
    assert fake_slack.ok("chat.postMessage")[-1]["thread_ts"] == posted.split(":")[1]
    edited = await platform.send(
        delivery("k3", Destination(kind="channel", channel=GENERAL), "new", edit=posted)
    )
    assert edited == posted
    [update] = fake_slack.ok("chat.update")
    assert (f"{update['channel']}:{update['ts']}", update["text"]) == (posted, "new")
    # The same outbox row again (a lost "sent" mark) is not posted twice by this process.
    assert await platform.send(delivery("k1", Destination(kind="channel", channel=GENERAL))) == (
        posted
    )
    assert len(fake_slack.ok("chat.postMessage")) == 2


async def test_joins_a_public_channel_it_was_not_in(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    fake_slack.channels["random"] = "C0RANDOM"
    posted = await platform.send(delivery("k1", Destination(kind="channel", channel="random")))
    assert posted is not None and posted.startswith("C0RANDOM:")
    assert [c["channel"] for c in fake_slack.ok("conversations.join")] == ["C0RANDOM"]


@pytest.mark.parametrize(
    "destination",
    [
        Destination(kind="dm", user="U0GONE"),
        Destination(kind="channel", channel="no-such-channel"),
        Destination(kind="channel", channel="C0ARCHIVED"),
    ],
)
async def test_permanent_failures(
    platform: SlackPlatform, fake_slack: FakeSlack, destination: Destination
) -> None:
    fake_slack.archived.add("C0ARCHIVED")
    with pytest.raises(PermanentFailure):
        await platform.send(delivery("k1", destination))


async def test_a_view_slack_refuses_is_not_retried(platform: SlackPlatform) -> None:
    home = Message(text="Home", blocks=[Image(url="", alt="a chart that failed to render")])
    with pytest.raises(PermanentFailure, match="invalid_arguments"):
        await platform.send(
            Delivery(
                key="k1",
                workspace=TEAM,
                destination=Destination(kind="home", user="U0ANN"),
                message=home,
            )
        )


async def test_429_is_rate_limited_with_retry_after(
    platform: SlackPlatform, fake_slack: FakeSlack
) -> None:
    fake_slack.rate_limit_every, fake_slack.retry_after = 1, 7
    with pytest.raises(RateLimited) as limited:
        await platform.send(delivery("k1", Destination(kind="channel", channel=GENERAL)))
    assert limited.value.retry_after == 7


async def test_profiles_kept_are_bounded_the_least_lately_used_leaving_first(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_platform, "REMEMBERED_PROFILES", 2)
    platform = SlackPlatform(AsyncWebClient(token="xoxb-test-token", base_url=fake_slack.api_url))
    fake_slack.user("U0CAT", "cat")
    for user in ("U0ANN", "U0BOB", "U0ANN", "U0CAT", "U0ANN", "U0BOB"):
        await platform.lookup_person(TEAM, user)

    # Bob, least lately used when Cat came, was forgotten and asked for again; Ann never was.
    assert [c["user"] for c in fake_slack.ok("users.info")] == ["U0ANN", "U0BOB", "U0CAT", "U0BOB"]


async def test_ephemeral_falls_back_to_a_dm(platform: SlackPlatform, fake_slack: FakeSlack) -> None:
    destination = Destination(kind="ephemeral", channel="C0PRIVATE", user="U0ANN")
    assert await platform.send(delivery("k1", destination)) is None
    [dm] = fake_slack.ok("chat.postMessage")
    assert dm["channel"] == "DU0ANN"


async def test_people_are_looked_up_once(platform: SlackPlatform, fake_slack: FakeSlack) -> None:
    ann = await platform.lookup_person(TEAM, "U0ANN")
    again = await platform.lookup_person(TEAM, "U0ANN")
    assert ann == again
    assert ann is not None
    assert (ann.name, ann.timezone, ann.email, ann.is_bot) == (
        "ann",
        "Europe/London",
        "ann@acme.test",
        False,
    )
    assert await platform.lookup_person(TEAM, "U0NOBODY") is None
    assert [c["user"] for c in fake_slack.ok("users.info")] == ["U0ANN"]
    bot = await platform.lookup_person(TEAM, "UBOT")
    assert bot is not None and bot.is_bot

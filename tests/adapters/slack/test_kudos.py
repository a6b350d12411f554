"""Kudos end to end through Slack: slash command, reaction, modal, Undo button, retries."""

from sqlmodel import col, select

from bot.store.db import Database
from handlers.kudos.tables import Kudos
from tests.adapters.slack.conftest import GENERAL, KUDOS, SlackWorld
from tests.conftest import scalar


async def test_kudos_by_slash_command(slack: SlackWorld, db: Database) -> None:
    await slack.command("U0ANN", "/kudos", "<@U0BOB|bob> thanks for the great demo #customer")
    await slack.settled(1)

    fake = slack.fake
    assert {"U0ANN", "U0BOB"} <= {c["user"] for c in fake.ok("users.info")}
    [announcement] = [c for c in fake.ok("chat.postMessage") if c["channel"] == KUDOS]
    assert announcement["text"].startswith("🎉 <@U0ANN> gave kudos to <@U0BOB>: thanks for the")
    [notice] = [c for c in fake.ok("chat.postMessage") if c["channel"] == "DU0BOB"]
    assert "You received kudos from <@U0ANN>" in notice["text"]
    assert [c["users"] for c in fake.ok("conversations.open")] == ["U0BOB"]
    [confirmation] = fake.ok("chat.postEphemeral")
    assert (confirmation["channel"], confirmation["user"]) == (GENERAL, "U0ANN")
    [undo] = [e for b in confirmation["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert (undo["action_id"], undo["style"]) == ("kudos.undo", "danger")
    # The person is created with what users.info said about them.
    assert await scalar(db, "SELECT timezone FROM person WHERE platform_user_id = 'U0BOB'") == (
        "America/New_York"
    )

    await slack.click("U0ANN", "kudos.undo", undo["value"])
    await slack.settled(2)
    edited = {c["channel"]: c["text"] for c in fake.ok("chat.update")}
    assert edited == {
        KUDOS: "(Kudos from <@U0ANN> withdrawn.)",
        "DU0BOB": "(Kudos from <@U0ANN> withdrawn.)",
    }
    assert fake.ok("chat.postEphemeral")[-1]["text"].startswith("Withdrawn: 1 kudos")


async def test_kudos_by_reaction_reads_the_message(slack: SlackWorld, db: Database) -> None:
    fake = slack.fake
    fake.history[(GENERAL, "1700000000.000100")] = {
        "type": "message",
        "user": "U0BOB",
        "text": "Release notes &amp; migration guide are out #docs",
        "ts": "1700000000.000100",
    }
    reaction = {
        "type": "reaction_added",
        "user": "U0ANN",
        "reaction": "tada",
        "item_user": "U0BOB",
        "item": {"type": "message", "channel": GENERAL, "ts": "1700000000.000100"},
        "event_ts": "1700000001.000200",
    }
    await slack.event(reaction)
    await slack.settled(1)

    [read] = fake.ok("conversations.history")
    assert (read["channel"], read["latest"]) == (GENERAL, "1700000000.000100")
    [announcement] = [c for c in fake.ok("chat.postMessage") if c["channel"] == KUDOS]
    assert "<@U0ANN> gave kudos to <@U0BOB>" in announcement["text"]
    assert "Release notes &amp; migration guide are out" in announcement["text"]
    assert await scalar(db, "SELECT source_ref FROM kudos") == f"{GENERAL}:1700000000.000100"


async def test_a_message_is_read_once_for_its_reactions_unless_the_read_failed(
    slack: SlackWorld, db: Database
) -> None:
    fake = slack.fake
    for person, name in (("U0CAT", "cat"), ("U0DAN", "dan")):
        fake.user(person, name)
    fake.history[(GENERAL, "1700000000.000100")] = {
        "type": "message",
        "user": "U0BOB",
        "text": "Shipped the new search",
        "ts": "1700000000.000100",
    }
    fake.limited_methods["conversations.history"] = 1  # the first read meets a rate limit

    for n, giver in enumerate(("U0ANN", "U0CAT", "U0DAN")):
        reaction = {
            "type": "reaction_added",
            "user": giver,
            "reaction": "tada",
            "item_user": "U0BOB",
            "item": {"type": "message", "channel": GENERAL, "ts": "1700000000.000100"},
            "event_ts": f"1700000001.00020{n}",
        }
        await slack.event(reaction)
        await slack.settled(n + 1)

    # Ann's read was refused and not kept; Cat's read the message, which Dan's then reused.
    assert len(fake.ok("conversations.history")) == 1
    async with db.session() as session:
        reasons = (await session.exec(select(Kudos.reason).order_by(col(Kudos.id)))).all()
    assert reasons == [
        "for their message",
        "for their message “Shipped the new search”",
        "for their message “Shipped the new search”",
    ]


async def test_retried_event_is_handled_once(slack: SlackWorld, db: Database) -> None:
    fake = slack.fake
    event = {
        "type": "reaction_added",
        "user": "U0ANN",
        "reaction": "tada",
        "item_user": "U0BOB",
        "item": {"type": "message", "channel": GENERAL, "ts": "1700000000.000100"},
        "event_ts": "1700000001.000200",
    }
    body = slack.event_body(event, event_id="Ev0RETRIED")
    first = await slack.post(body, "application/json")
    retry = await slack.post(
        body,
        "application/json",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    await slack.settled(2)

    assert len([c for c in fake.ok("chat.postMessage") if c["channel"] == KUDOS]) == 1
    assert await scalar(db, "SELECT count(*) FROM kudos") == 1


async def test_kudos_form_opens_as_modal_and_shows_errors_inside(slack: SlackWorld) -> None:
    fake = slack.fake
    await slack.command("U0ANN", "/kudos", "")
    await slack.settled(1)
    [opened] = fake.ok("views.open")
    view = opened["view"]
    assert opened["trigger_id"] == "1.98765.abcdef1"
    assert view["callback_id"] == "kudos.give"
    assert [b["block_id"] for b in view["blocks"]] == ["to", "reason"]
    assert view["blocks"][0]["element"]["type"] == "multi_users_select"

    refused = await slack.submit(
        "U0ANN",
        view,
        {"to": {"selected_users": ["U0ANN"]}, "reason": {"value": "for being great at things"}},
    )
    assert refused.status == 200
    answer = await refused.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"to"}

    accepted = await slack.submit(
        "U0ANN",
        view,
        {"to": {"selected_users": ["U0BOB"]}, "reason": {"value": "for the <b>crisp</b> demo"}},
    )
    assert accepted.status == 200
    assert await accepted.text() == ""
    await slack.settled(3)
    [announcement] = [c for c in fake.ok("chat.postMessage") if c["channel"] == KUDOS]
    assert "for the ‹b›crisp‹/b› demo" in announcement["text"]
    # The modal remembered the channel it came from: the confirmation lands there.
    assert fake.ok("chat.postEphemeral")[-1]["channel"] == GENERAL


async def test_each_person_reads_the_language_of_their_slack_profile(
    slack: SlackWorld, db: Database
) -> None:
    """Bob's Slack is in French: his DM is French, Ann's reply and the channel English."""
    slack.fake.users["U0BOB"]["locale"] = "fr-FR"
    await slack.command("U0ANN", "/kudos", "<@U0BOB|bob> thanks for the great demo #customer")
    await slack.settled(1)

    fake = slack.fake
    assert all(c.get("include_locale") for c in fake.ok("users.info"))
    [announcement] = [c for c in fake.ok("chat.postMessage") if c["channel"] == KUDOS]
    assert announcement["text"].startswith("🎉 <@U0ANN> gave kudos to <@U0BOB>")
    [notice] = [c for c in fake.ok("chat.postMessage") if c["channel"] == "DU0BOB"]
    assert notice["text"].startswith("Vous avez reçu des kudos de <@U0ANN>")
    assert fake.ok("chat.postEphemeral")[0]["text"].startswith("Kudos sent to <@U0BOB>")
    stored = await scalar(db, "SELECT preferences FROM person WHERE platform_user_id = 'U0BOB'")
    assert "fr" in str(stored)

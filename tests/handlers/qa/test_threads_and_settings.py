"""Answers as thread replies where the question was asked, and Q&A settings in chat.

Demo workspace (START is Monday 2027-01-04 09:00 UTC): ann (admin), bob, cara, dan, eve, fay.
"""

import re

from sqlmodel import col, select

from bot.contract.events import Actor, Command
from bot.models import AuditEntry, Interaction, Person, Workspace
from bot.wiring.assembly import Assembly
from handlers.qa.tables import Question
from tests.handlers.conftest import Talk
from tests.handlers.qa.test_conversations import messages, question, sent_to


def in_threads(output: str) -> list[str]:
    return [m for m in messages(output) if m.startswith("[thread ")]


async def test_a_question_from_a_channel_is_answered_in_its_thread(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add visa")
    out = await talk("ann in #eng: /ask who signs a #visa letter?")
    (root,) = sent_to(out, "#eng")
    assert "❓ @ann asked question #1 (#visa)" in root and "I've asked 1 expert" in root
    root_id = re.search(r"\((m\d+)\)", root)
    assert root_id
    found = await question(rapport, 1)
    assert found.origin_channel == "eng" and found.thread_key and found.thread is None

    out = await talk("bob clicks qa.claim 1\nbob dm: /answer 1 HR signs it, within two days.")
    (reply,) = in_threads(out)
    assert reply.startswith(f"[thread {root_id[1]} in #eng]")
    assert "💡 @ann: @bob answered your question #1" in reply and "HR signs it" in reply
    assert "[Accept] qa.accept 1" in reply
    assert not any("HR signs it" in m for m in sent_to(out, "dm @ann"))
    # Anyone in the channel sees the buttons; only the asker's click counts.
    out = await talk("cara clicks qa.accept 1")
    assert "Only the person who asked can do that." in out
    out = await talk("ann clicks qa.accept 1")
    assert "Question #1 is answered" in out
    assert (await question(rapport, 1)).status == "accepted"


async def test_a_question_asked_inside_a_platform_thread_is_answered_there(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add visa")
    ask = Command(
        event_id="ask-in-thread",
        platform="local",
        workspace="demo",
        actor=Actor(id="ann", name="ann"),
        channel="eng",
        thread="m1",
        name="ask",
        text="who signs a #visa letter?",
    )
    assert (await rapport.bot.dispatch(ask)).status == "handled"
    await rapport.runtime.settle()
    found = await question(rapport, 1)
    assert found.thread == "m1" and found.thread_key is None
    out = await talk("bob clicks qa.claim 1\nbob dm: /answer 1 HR does.")
    (reply,) = in_threads(out)
    assert reply.startswith("[thread m1 in #eng]") and "HR does." in reply
    printed = "\n".join(rapport.shell.platform.lines)
    assert "asked question #1" not in printed  # no second post: the thread exists already


async def test_an_anonymous_question_from_a_channel_is_answered_by_dm_only(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add leave")
    out = await talk("cara in #eng: /ask anon how much #leave after a bereavement?")
    assert not sent_to(out, "#eng")
    found = await question(rapport, 1)
    assert found.origin_channel is None and found.thread_key is None
    out = await talk("bob clicks qa.claim 1\nbob dm: /answer 1 Five days.")
    assert not in_threads(out)
    (answer,) = sent_to(out, "dm @cara")[-1:]
    assert "Five days." in answer and "@cara" not in answer.partition("] ")[2]


async def test_settings_are_shown_to_all_and_changed_by_admins_and_community_managers(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("bob in #general: /ask settings")
    assert "experts: 3" in out and "claim-hours: 4" in out and "channel: help" in out
    out = await talk("bob in #general: /ask settings experts 2")
    assert "Only people with the community manager role can do that." in out

    await talk('user gil name="Gil Moss" roles=cm')
    out = await talk("gil in #general: /ask settings experts 2")
    assert "Q&A setting experts is now 2." in out
    out = await talk("ann in #general: /ask settings claim-hours 6")
    assert "Q&A setting claim-hours is now 6." in out
    out = await talk("ann in #general: /ask settings channel #ask-hr")
    assert "Q&A setting channel is now ask-hr." in out

    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        entries = (await session.exec(select(AuditEntry).order_by(col(AuditEntry.id)))).all()
    assert workspace.settings["qa"]["experts_per_question"] == 2
    assert [(e.action, e.detail) for e in entries if e.action == "qa.settings"] == [
        ("qa.settings", {"setting": "experts_per_question", "before": 3, "after": 2}),
        ("qa.settings", {"setting": "claim_working_hours", "before": 4.0, "after": 6.0}),
        ("qa.settings", {"setting": "channel", "before": "help", "after": "ask-hr"}),
    ]

    # The new values are what routing uses: two experts, and the help channel is #ask-hr.
    await talk("\n".join(f"{p} in #general: /expert add visa" for p in ("bob", "cara", "dan")))
    out = await talk("eve dm: /ask who sponsors a #visa renewal?")
    assert "went to 2 experts" in out
    out = await talk("fay dm: /ask anon is there a quiet room on the third floor?")
    assert sent_to(out, "#ask-hr")


async def test_bad_settings_get_clear_replies_and_change_nothing(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("ann in #general: /ask settings experts 0")
    assert "'0' doesn't work for experts: it must be a whole number from 1 to 10." in out
    out = await talk("ann in #general: /ask settings claim-hours soon")
    assert "'soon' doesn't work for claim-hours: it must be a number more than 0" in out
    out = await talk("ann in #general: /ask settings answer-days")
    assert "Please give a value for answer-days." in out
    out = await talk("ann in #general: /ask settings channel #")
    assert "Please give a value for channel." in out
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        assert "qa" not in workspace.settings
        assert not (await session.exec(select(AuditEntry))).all()
    # Not a setting's name: an ordinary question that happens to start with "settings".
    out = await talk("ann in #general: /ask settings for the VPN on a new laptop?")
    assert "I found no available expert" in out
    async with rapport.db.session() as session:
        asked = (await session.exec(select(Question))).one()
    assert asked.text == "settings for the VPN on a new laptop?"


async def test_replies_in_a_question_thread_tie_the_replier_to_the_asker_once(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add visa")
    out = await talk("ann in #eng: /ask who signs a #visa letter?")
    (root,) = sent_to(out, "#eng")
    root_id = re.search(r"\((m\d+)\)", root)
    assert root_id
    await talk(f"cara replies to {root_id[1]}: try HR\nann replies to {root_id[1]}: thanks!")
    async with rapport.db.session() as session:
        edges = (await session.exec(select(Interaction))).all()
        names = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
    replies = [(names[e.source_id], names[e.target_id]) for e in edges if e.kind == "reply"]
    assert replies == [("cara", "ann")]  # the asker's own reply ties nobody


async def test_someone_who_helps_in_question_threads_is_asked_when_nobody_knows_the_topic(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add visa")
    out = await talk("ann in #eng: /ask who signs a #visa letter?")
    root_id = re.search(r"\((m\d+)\)", sent_to(out, "#eng")[0])
    assert root_id
    await talk(f"cara replies to {root_id[1]}: try HR")
    # No one declared printers or answered about them: cara's reply in ann's thread (an
    # interaction the bot recorded) makes her a candidate; bob's visa topic does not.
    out = await talk("ann dm: /ask where is the printer on floor two?")
    assert "Can you answer question #2" in "".join(sent_to(out, "dm @cara"))
    assert not sent_to(out, "dm @bob")

"""Q&A, as conversations on the local platform and its virtual clock.

Demo workspace (START is Monday 2027-01-04 09:00 UTC): ann (London, admin), bob (London),
cara (New York), dan (Berlin), eve (Singapore), fay (Los Angeles). Ties between experts go
to the lower person id, i.e. in that order.
"""

import asyncio
import re

import pytest
from sqlmodel import col, select

from bot.contract.events import Action, Actor
from bot.models import Workspace
from bot.wiring.assembly import Assembly
from handlers.qa.tables import Answer, Question, QuestionRoute
from tests.handlers.conftest import Talk

VISA_EXPERTS = (
    "bob in #general: /expert add visa\n"
    "cara in #general: /expert add visa\n"
    "dan in #general: /expert add visa\n"
    "eve in #general: /expert add visa\n"
)


def messages(output: str) -> list[str]:
    """Everything the bot printed, one entry per message (continuation lines included)."""
    found: list[str] = []
    for line in output.splitlines():
        if line.startswith("[") or not found:
            found.append(line)
        else:
            found[-1] += "\n" + line
    return found


def sent_to(output: str, where: str) -> list[str]:
    return [m for m in messages(output) if m.startswith(f"[{where}]")]


def button_value(output: str, action_id: str) -> str:
    match = re.search(rf"\] {re.escape(action_id)} (\S+)", output)
    assert match, output
    return match[1]


async def question(rapport: Assembly, question_id: int) -> Question:
    async with rapport.db.session() as session:
        found = await session.get(Question, question_id)
        assert found is not None
        return found


async def routes(rapport: Assembly, question_id: int) -> dict[int, str]:
    async with rapport.db.session() as session:
        found = await session.exec(
            select(QuestionRoute).where(QuestionRoute.question_id == question_id)
        )
        return {r.expert_id: r.status for r in found.all()}


async def set_qa(rapport: Assembly, **values: object) -> None:
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        workspace.settings = {**workspace.settings, "qa": values}
        session.add(workspace)


def claim(handle: str, event_id: str, question_id: int) -> Action:
    return Action(
        event_id=event_id,
        platform="local",
        workspace="demo",
        actor=Actor(id=handle, name=handle),
        action_id="qa.claim",
        value=str(question_id),
    )


async def test_ask_route_claim_race_answer_accept_and_expertise(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "bob in #general: /expert add payroll, benefits\n"
        "cara in #general: /expert add payroll\n"
        "dan in #general: /expert add payroll\n"
        "eve in #general: /expert add travel\n"
    )
    out = await talk("ann in #general: /ask when is #payroll run this month?")
    assert "Your question #1 went to 3 experts" in out
    (root,) = sent_to(out, "#general")
    assert "❓ @ann asked question #1 (#payroll)" in root and "in this thread" in root
    root_id = re.search(r"\((m\d+)\)", root)
    assert root_id
    for expert in ("bob", "cara", "dan"):
        (dm,) = sent_to(out, f"dm @{expert}")
        assert "❓ Can you answer question #1 (#payroll)? “when is #payroll run this month?”" in dm
        assert "Asked by @ann" in dm
        assert "[I'll answer] qa.claim 1" in dm and "[Not me] qa.decline 1" in dm
    assert not sent_to(out, "dm @eve")

    # Two experts click "I'll answer" at the same moment: exactly one wins.
    outcomes = await asyncio.gather(
        rapport.bot.dispatch(claim("bob", "race-bob", 1)),
        rapport.bot.dispatch(claim("cara", "race-cara", 1)),
    )
    assert sorted(o.status for o in outcomes) == ["handled", "rejected"]
    winner = "bob" if outcomes[0].status == "handled" else "cara"
    loser = "cara" if winner == "bob" else "bob"
    await rapport.runtime.settle()
    printed = "\n".join(rapport.shell.platform.lines)
    assert "Too late:" in printed and "is already answering question #1" in printed
    assert f"@{winner} is answering your question #1." in printed
    assert printed.count(f"@{winner} is answering question #1. Thanks anyway!") == 2
    found = await question(rapport, 1)
    assert found.status == "claimed"
    statuses = sorted((await routes(rapport, 1)).values())
    assert statuses == ["claimed", "closed", "closed"]

    out = await talk(f"{loser} dm: /answer 1 on the 25th")
    assert "You haven't claimed question #1" in out
    out = await talk(f"{winner} dm: /answer 1 Payroll runs on the 25th, or the Friday before.")
    assert "is on its way to the asker, in the question's thread in #general" in out
    # Asked in a channel: the answer is a reply in the question's thread, not a DM.
    assert not sent_to(out, "dm @ann")
    (dm,) = sent_to(out, f"thread {root_id[1]} in #general")
    assert f"💡 @ann: @{winner} answered your question #1" in dm
    assert "Payroll runs on the 25th, or the Friday before." in dm
    answer = button_value(out, "qa.accept")
    out = await talk(f"bob clicks qa.accept {answer}")
    assert "Only the person who asked can do that." in out
    out = await talk(f"ann clicks qa.accept {answer}")
    assert "Question #1 is answered" in out
    assert sent_to(out, f"dm @{winner}")[0].count("was accepted") == 1
    out = await talk(f"ann clicks qa.accept {answer}")
    assert "You already marked this answer as accepted." in out
    assert (await question(rapport, 1)).status == "accepted"

    # The accepted answer raised the answerer above the others on payroll.
    out = await talk("eve in #general: /expert list payroll")
    ranking = out.split("Experts on #payroll:")[1]
    assert re.search(r"1\. \w+ \w+ \(2\.0\)", ranking)
    assert ("Bob Stone (2.0)" in ranking) == (winner == "bob")


async def test_similar_answered_questions_are_suggested_first(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add payroll\nann in #general: /ask when is payroll run?")
    await talk("bob clicks qa.claim 1\nbob dm: /answer 1 On the 25th of each month.")
    await talk("ann clicks qa.accept 1")
    out = await talk("fay in #general: /ask what day does payroll run each month?")
    assert "Before I ask the experts" in out
    assert "#1 “when is payroll run?”" in out and "On the 25th of each month." in out
    assert "[This answers it] qa.solved 2" in out and "[Still ask] qa.still_ask 2" in out
    assert not sent_to(out, "dm @bob")
    out = await talk("bob clicks qa.solved 2")
    assert "Only the person who asked can do that." in out
    out = await talk("fay clicks qa.solved 2")
    assert "Glad that helped! Question #2 is closed." in out
    assert (await question(rapport, 2)).status == "solved"
    out = await talk("fay clicks qa.still_ask 2")
    assert "Question #2 has already moved on." in out

    out = await talk("eve in #general: /ask does payroll run on the 25th in December too?")
    assert "[Still ask] qa.still_ask 3" in out
    out = await talk("eve clicks qa.still_ask 3")
    assert "Your question #3 went to 1 expert." in out
    assert "I'll post their answer in the question's thread." in out
    assert "Can you answer question #3" in sent_to(out, "dm @bob")[0]

    out = await talk("eve in #general: /ask where is the office bike shed?")
    assert "Before I ask the experts" not in out


async def test_anonymous_asker_is_never_shown_to_experts_or_channels(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("cara in #general: /expert add leave\ndan in #general: /expert add leave")
    out = await talk("bob in #general: /ask anon how much #leave can I take after a bereavement?")
    assert "Your question #1 went anonymously to 2 experts" in out
    assert (await question(rapport, 1)).anonymous
    shown = sent_to(out, "dm @cara") + sent_to(out, "dm @dan")
    out = await talk("cara clicks qa.claim 1\ncara dm: /answer 1 Five days, and more by agreement.")
    (answer_dm,) = sent_to(out, "dm @bob")[-1:]
    assert "Five days, and more by agreement." in answer_dm
    shown += [m for m in messages(out) if not m.startswith("[dm @bob]")]
    # dan was asked already, so nobody new is left: it goes to the help channel at once.
    out = await talk("bob clicks qa.unhelpful 1")
    shown += [m for m in messages(out) if not m.startswith("[dm @bob]")]
    (post,) = sent_to(out, "#help")
    assert "Asked anonymously" in post
    for message in shown:
        assert "@bob" not in message and "Bob" not in message, message
    assert all("Asked anonymously" in m for m in shown if "Can you answer" in m)


async def test_not_me_lowers_the_score_and_asks_the_next_expert(
    talk: Talk, rapport: Assembly
) -> None:
    await set_qa(rapport, experts_per_question=2)
    await talk(VISA_EXPERTS)
    out = await talk("ann in #general: /ask who sponsors a #visa renewal?")
    assert sent_to(out, "dm @bob") and sent_to(out, "dm @cara") and not sent_to(out, "dm @dan")
    out = await talk("bob clicks qa.decline 1")
    assert "You passed on question #1; I'll ask someone else." in out
    assert "Can you answer question #1" in sent_to(out, "dm @dan")[0]
    out = await talk("bob clicks qa.decline 1")
    assert "already moved on" in out
    out = await talk("fay clicks qa.decline 1")
    assert "was not sent to you" in out
    out = await talk("ann in #general: /expert list visa")
    assert "Bob Stone (0.5)" in out.split("Experts on #visa:")[1].splitlines()[-1]


async def test_busy_experts_are_asked_less_and_away_ones_not_at_all(
    talk: Talk, rapport: Assembly
) -> None:
    await set_qa(rapport, experts_per_question=1)
    await talk("bob in #general: /expert add visa\ncara in #general: /expert add visa")
    out = await talk("ann in #general: /ask first #visa question")
    assert sent_to(out, "dm @bob")
    await talk("bob clicks qa.claim 1")
    out = await talk("ann in #general: /ask second #visa question")
    assert sent_to(out, "dm @cara") and not sent_to(out, "dm @bob")

    out = await talk("cara in #general: /expert away\nann in #general: /ask third #visa question")
    assert "You're away" in out
    assert len([m for m in sent_to(out, "dm @bob") if "question #3" in m]) == 1
    assert not [m for m in sent_to(out, "dm @cara") if "question #3" in m]
    await talk("cara in #general: /expert back\nbob in #general: /expert away until 2027-01-05")
    out = await talk("ann in #general: /ask fourth #visa question")
    assert sent_to(out, "dm @cara") and not sent_to(out, "dm @bob")
    out = await talk("bob dm: /expert list")
    assert "Availability: out of office until Tue, Jan 5, 2027" in out
    assert "Answering now: 1" in out
    # Tuesday 09:00: bob is back; #1 is still his until its answer window ends at 17:00.
    out = await talk("advance 1d\nbob dm: /expert list")
    assert "Availability: available" in out
    # Back, but still answering #1: the idle expert is asked first.
    out = await talk("ann in #general: /ask fifth #visa question")
    assert sent_to(out, "dm @cara") and not sent_to(out, "dm @bob")
    await talk("bob dm: /answer 1 done\nann clicks qa.accept 1")
    out = await talk("ann in #general: /ask can my #visa be renewed online?")
    assert sent_to(out, "dm @bob") and not sent_to(out, "dm @cara")


async def test_kudos_values_make_someone_an_expert(talk: Talk) -> None:
    await talk(
        "ann in #general: /kudos @eve handled the angry customer call so well #customer\n"
        "bob in #general: /kudos @eve great customer demo today #customer\n"
    )
    out = await talk("fay in #general: /ask how do we handle a customer refund?")
    assert "Your question #1 went to 1 expert" in out
    assert "Can you answer question #1 (#customer)" in sent_to(out, "dm @eve")[0]


async def test_escalation_counts_working_hours_in_each_experts_time_zone(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(VISA_EXPERTS)
    await talk("advance 4d 6h")  # Friday 15:00 UTC
    out = await talk("ann in #general: /ask who signs a #visa invitation letter?")
    assert sent_to(out, "dm @bob") and sent_to(out, "dm @cara") and sent_to(out, "dm @dan")
    # cara (New York, 10:00 there) has until 14:00 New York = 19:00 UTC Friday.
    out = await talk("advance 3h 59m")
    assert not sent_to(out, "dm @eve")
    out = await talk("advance 1m")
    assert "Can you answer question #1" in sent_to(out, "dm @eve")[0]
    assert "Nobody has picked up your question #1 yet" in sent_to(out, "dm @ann")[0]
    assert (await routes(rapport, 1))[3] == "expired"
    # The weekend counts for nobody; bob and dan (London, Berlin) expire Monday 11:00 UTC,
    # eve (Singapore, Saturday 03:00 there) Monday 13:00 Singapore = 05:00 UTC.
    out = await talk("advance 2d 9h")  # Monday 04:00 UTC
    assert "Nobody has picked up" not in out and "[#help]" not in out
    assert set((await routes(rapport, 1)).values()) == {"pending", "expired"}
    await talk("advance 1h")  # Monday 05:00 UTC
    assert (await routes(rapport, 1))[5] == "expired"
    await talk("advance 6h")  # Monday 11:00 UTC
    assert set((await routes(rapport, 1)).values()) == {"expired"}
    # Unanswered after 2 working days of the asker (London): Tuesday 15:00 UTC.
    out = await talk("advance 1d 3h 59m")
    assert "[#help]" not in out
    out = await talk("advance 1m")
    (post,) = sent_to(out, "#help")
    assert "🙋 Can anyone help with question #1 (#visa)?" in post and "Asked by @ann" in post
    assert "I've posted your question #1 in #help" in sent_to(out, "dm @ann")[0]
    out = await talk("fay clicks qa.claim 1")
    assert "[edit m" in out and "is being answered by @fay" in out
    out = await talk("fay dm: /answer 1 HR signs it; ask cara.\nann clicks qa.accept 1")
    out = await talk("fay dm: /expert list")
    assert "Earned: #visa (1.0)" in out


async def test_a_stale_claim_is_released_to_the_channel(talk: Talk, rapport: Assembly) -> None:
    await talk("bob in #general: /expert add visa\nann in #general: /ask a #visa question")
    await talk("bob clicks qa.claim 1")
    out = await talk("advance 2d")  # two London working days ended on Tuesday at 17:00
    assert "released your claim" in sent_to(out, "dm @bob")[0]
    assert sent_to(out, "#help")
    assert (await question(rapport, 1)).status == "open"
    out = await talk("bob dm: /answer 1 late answer")
    assert "You haven't claimed question #1" in out
    out = await talk("cara clicks qa.claim 1")
    assert "You're answering question #1" in out


async def test_an_unhelpful_answer_goes_to_other_experts(talk: Talk, rapport: Assembly) -> None:
    await set_qa(rapport, experts_per_question=1)
    await talk("bob in #general: /expert add visa\ncara in #general: /expert add visa")
    await talk("ann in #general: /ask a #visa question\nbob clicks qa.claim 1")
    await talk("bob dm: /answer 1 no idea, sorry")
    out = await talk("ann clicks qa.unhelpful 1")
    assert "did not solve it" in sent_to(out, "dm @bob")[0]
    assert "Can you answer question #1" in sent_to(out, "dm @cara")[0]
    assert "I've asked 1 more expert about #1" in out
    async with rapport.db.session() as session:
        answer = await session.get(Answer, 1)
    assert answer is not None and answer.status == "unhelpful"
    out = await talk("ann clicks qa.accept 1")
    assert "already marked this answer as unhelpful" in out
    await talk("cara clicks qa.claim 1\ncara dm: /answer 1 no idea either")
    out = await talk("ann clicks qa.unhelpful 2")
    assert "I've posted question #1 in #help" in out
    assert sent_to(out, "#help")


async def test_the_answer_form_and_a_question_asked_by_dm_answered_by_dm(talk: Talk) -> None:
    out = await talk("bob in #general: /expert add visa\nann dm: /ask a #visa question")
    assert not sent_to(out, "#general")
    assert "went to 1 expert. I'll DM you their answer." in out
    out = await talk("cara clicks qa.answer_form 1")
    assert "You are not answering question #1" in out
    out = await talk("bob clicks qa.claim 1\nbob clicks qa.answer_form 1")
    assert "[form for @bob] qa.answer “Answer question #1”: answer (textarea)" in out
    out = await talk('bob submits qa.answer answer=" "')
    assert "[form errors for @bob] answer: The answer is empty" in out
    out = await talk('bob submits qa.answer answer="Ask HR for the template."')
    assert "Ask HR for the template." in sent_to(out, "dm @ann")[0]
    assert "is on its way to the asker by DM" in out


async def test_nobody_to_ask_posts_to_the_channel_at_once(talk: Talk) -> None:
    out = await talk("ann in #general: /ask anon is there a quiet room on the third floor?")
    assert "I found no available expert" in out and "(without your name)" in out
    (post,) = sent_to(out, "#help")
    assert "Asked anonymously" in post and "ann" not in post.lower().replace("anonymously", "")


@pytest.mark.parametrize(
    ("typed", "asked", "anonymous"),
    [
        ("how do I   book leave?", "how do I book leave?", False),
        ("Anonymously is this ok?", "is this ok?", True),
        ("anonymity rules?", "anonymity rules?", False),
        ("help with my #payslip?", "help with my #payslip?", False),
        ("settings for the VPN?", "settings for the VPN?", False),
        # What the asker typed is kept, capitals included.
        ("Settings for the VPN?", "Settings for the VPN?", False),
        # The word for anonymously in each shipped language, whatever the asker's own.
        ("anonyme est-ce possible ?", "est-ce possible ?", True),
        ("Anonym wie viel Urlaub?", "wie viel Urlaub?", True),
        ("anónimo ¿cuántos días?", "¿cuántos días?", True),
        ("anon: is this ok?", "is this ok?", True),
        # Japanese: after a full-width space or colon; a word that only starts with it is not.
        ("匿名\u3000育休は取れますか？", "育休は取れますか？", True),
        ("匿名：育休は取れますか？", "育休は取れますか？", True),
        ("匿名アンケートの結果は？", "匿名アンケートの結果は？", False),
    ],
)
async def test_the_first_word_routes_the_question(
    talk: Talk, rapport: Assembly, typed: str, asked: str, anonymous: bool
) -> None:
    """Only a first word of its own makes a question anonymous, in any shipped language;
    "help" and "settings" followed by words that are no setting start a question like any
    other, as typed."""
    await talk(f"ann in #general: /ask {typed}")
    found = await question(rapport, 1)
    assert (found.text, found.anonymous) == (asked, anonymous)


async def test_bad_input_gets_friendly_answers_and_saves_nothing(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("bob in #general: /expert add payroll")
    cases = {
        "ann in #general: /ask": "What would you like to ask?",
        "ann in #general: /ask anon": "What would you like to ask?",
        "ann in #general: /ask    ": "What would you like to ask?",
        f"ann in #general: /ask {'why ' * 1250}": "That question is 4,999 characters",
        "ann in #general: /answer 99 the answer": "I can't find question #99",
        "ann in #general: /answer": "Usage: `/answer 12 your answer`",
        "ann in #general: /answer twelve text": "'twelve' is not a question number",
        "ann clicks qa.claim 42": "I can't find question #42",
        "ann clicks qa.accept 7": "I can't find that answer.",
        "ann in #general: /expert add": "Which topics?",
        "ann in #general: /expert add <b>x</b>": "is not a topic I can use",
        "ann in #general: /expert remove payroll": "You have not declared that topic.",
        "ann in #general: /expert away until someday": "Say when you are back",
        "ann in #general: /expert away until 2026-12-01": "has already begun",
        "ann in #general: /expert hours 17-9": "Working hours must start before they end",
        "ann in #general: /expert hours 9-17 funday": "'funday' is not a day or days",
        "ann in #general: /expert frobnicate": "I don't know `/expert frobnicate`",
    }
    for line, answer in cases.items():
        out = await talk(line)
        assert answer in out, (line, out)
        assert "Traceback" not in out and "went wrong" not in out
    async with rapport.db.session() as session:
        assert not (await session.exec(select(Question))).all()
    out = await talk("ann in #general: /ask " + "x" * 5000)
    assert "That question is 5,000 characters; please keep it to at most 2,000" in out

    out = await talk("ann in #general: /ask what is our #payroll cutoff?")
    out = await talk("ann clicks qa.claim 1")
    assert "You can't answer your own question." in out
    out = await talk("cara clicks qa.claim 1")
    assert "Question #1 was not sent to you." in out
    out = await talk("bob clicks qa.claim 1\nbob clicks qa.claim 1")
    assert "You are already answering question #1." in out
    out = await talk("cara dm: /answer 1 the 20th")
    assert "You haven't claimed question #1" in out
    out = await talk(f"bob dm: /answer 1 {'y' * 4001}")
    assert "That answer is 4,001 characters" in out
    out = await talk("bob dm: /answer 1 The 20th.\nbob dm: /answer 1 Again.")
    assert "Question #1 has already been answered." in out
    async with rapport.db.session() as session:
        answers = (await session.exec(select(Answer).where(col(Answer.question_id) == 1))).all()
    assert [a.text for a in answers] == ["The 20th."]


async def test_crowd_pings_and_markup_are_neutralised(talk: Talk) -> None:
    await talk("bob in #general: /expert add payroll")
    out = await talk("ann in #general: /ask <!channel> @here is <b>payroll</b> late? <@U999>")
    (dm,) = sent_to(out, "dm @bob")
    assert "<!channel>" not in dm and "<b>" not in dm and "<@U999>" not in dm
    assert "‹!channel›" in dm and "@\u2060here" in dm


async def test_expert_topics_hours_and_help(talk: Talk) -> None:
    out = await talk("bob in #general: /expert add Payroll, parental leave, #benefits")
    assert "Added #payroll, #parental-leave, and #benefits" in out
    out = await talk("bob in #general: /expert add payroll")
    assert "Nothing new to add" in out
    out = await talk("bob in #general: /expert remove benefits")
    assert "Removed #benefits." in out
    out = await talk("bob in #general: /expert hours 08-16 mon-thu\nbob dm: /expert list")
    assert "Working hours: 08:00-16:00 Mon, Tue, Wed, Thu (Europe/London)" in out
    # One calendar: the hours are bob's personal working hours, and changed there too.
    assert "08:00-16:00" in await talk("bob dm: /rapport settings show")
    await talk("bob in #general: /rapport settings\nbob submits profile.settings hours=09:30-17:30")
    out = await talk("bob dm: /expert list")
    assert "Working hours: 09:30-17:30 Mon, Tue, Wed, Thu, Fri (Europe/London)" in out
    assert "Declared: #parental-leave and #payroll" in out
    assert "Availability: available" in out
    out = await talk("ann in #general: /ask can I take parental leave in two blocks?")
    assert "Can you answer question #1 (#parental-leave)" in sent_to(out, "dm @bob")[0]
    out = await talk("bob in #general: /expert remove\nbob dm: /expert list")
    assert "Removed #parental-leave and #payroll." in out and "Declared: none" in out
    out = await talk("bob in #general: /ask help")
    assert "`/ask anon your question`" in out and "4 working hours" in out and "#help" in out
    out = await talk("bob in #general: /expert help")
    assert "`/expert away [until 2027-01-11]`" in out and "`/expert list [topic]`" in out
    out = await talk("bob dm: help")
    assert "`/ask`" in out and "`/answer`" in out and "`/expert`" in out

"""Ideas, as conversations on the local platform.

Demo workspace: ann is admin, dan community manager, bob, eve and fay members, cara HR.
"""

import asyncio
import re
import zlib
from collections.abc import AsyncIterator

import pytest
from sqlmodel import col, func, select

from bot.contract.events import Action, Actor, Reaction
from bot.models import Interaction, Person
from bot.wiring.assembly import Assembly
from bot.wiring.settings_check import configured
from handlers.ideas.settings import SECTION
from handlers.ideas.tables import Idea, IdeaAuthor, IdeaVote
from tests.fake_openai import FakeOpenAI, serving
from tests.handlers.conftest import Talk

CHECKLIST = "bob in #general: /idea Shorter onboarding checklist — keep the 10 items that matter"


async def votes(rapport: Assembly, idea_id: int) -> int:
    async with rapport.db.session() as session:
        counted = await session.exec(
            select(func.count()).where(IdeaVote.idea_id == idea_id, col(IdeaVote.active))
        )
        return counted.one()


async def idea(rapport: Assembly, idea_id: int) -> Idea:
    async with rapport.db.session() as session:
        found = await session.get(Idea, idea_id)
        assert found is not None
        return found


async def idea_count(rapport: Assembly) -> int:
    async with rapport.db.session() as session:
        return (await session.exec(select(func.count()).select_from(Idea))).one()


def last_edit(output: str, message_id: str) -> str:
    edits = output.split(f"[edit {message_id}] ")
    assert len(edits) > 1, output
    return edits[-1].split("\n[")[0]


async def test_an_idea_is_posted_with_an_upvote_button_and_confirmed(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(CHECKLIST)
    assert "[#ideas] (m1) *💡 #1 Shorter onboarding checklist*" in out
    assert "keep the 10 items that matter" in out
    assert "by @bob · 🆕 new · 0 votes" in out
    assert "[👍 Upvote (0)] ideas.vote 1" in out
    assert "[thread m1 in #ideas] (m2) 💬 Discuss idea #1 here" in out
    assert "[only @bob sees, in #general] (m3) Thanks! Your idea #1" in out
    assert "is posted in #ideas" in out
    stored = await idea(rapport, 1)
    assert (stored.title, stored.details, stored.stage) == (
        "Shorter onboarding checklist",
        "keep the 10 items that matter",
        "new",
    )


async def test_every_separator_splits_title_from_details(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "bob in #general: /idea Standing desks - for the second floor\n"
        "eve in #general: /idea Quarterly hack day -- one day to build anything\n"
        "fay in #general: /idea Self-service expense reports\n"
    )
    first, second, third = [await idea(rapport, n) for n in (1, 2, 3)]
    assert (first.title, first.details) == ("Standing desks", "for the second floor")
    assert (second.title, second.details) == ("Quarterly hack day", "one day to build anything")
    assert (third.title, third.details) == ("Self-service expense reports", "")


async def test_the_form_posts_an_idea_and_shows_errors_inside(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("bob in #general: /idea")
    assert "[form for @bob] ideas.submit “Share an idea”: title (text), details (textarea" in out
    out = await talk('bob submits ideas.submit title="  " details="something"')
    assert "[form errors for @bob] title: Your idea needs a title" in out
    out = await talk(f'bob submits ideas.submit title="Fresh snacks" details="{"x" * 10_000}"')
    assert "[form errors for @bob] details: The details are 10,000 characters" in out
    assert await idea_count(rapport) == 0
    out = await talk('bob submits ideas.submit title="Healthier snacks" details="fruit"')
    assert "[#ideas] " in out and "💡 #1 Healthier snacks" in out
    assert "Your idea #1 “Healthier snacks” is posted" in out


async def test_vote_toggle_updates_the_post_in_place(talk: Talk, rapport: Assembly) -> None:
    await talk(CHECKLIST)
    out = await talk("eve clicks ideas.vote 1")
    assert "[👍 Upvote (1)] ideas.vote 1" in last_edit(out, "m1")
    assert "[dm @eve] " in out and "You voted for #1" in out
    out = await talk("fay clicks ideas.vote 1")
    assert "2 votes" in last_edit(out, "m1")
    assert await votes(rapport, 1) == 2
    await talk("advance 1m")
    out = await talk("eve clicks ideas.vote 1")
    assert "Your vote for #1 is withdrawn (1 vote)" in out
    assert "[👍 Upvote (1)] ideas.vote 1" in last_edit(out, "m1")
    assert await votes(rapport, 1) == 1
    await talk("advance 1m")
    out = await talk("eve clicks ideas.vote 1")
    assert "You voted for #1" in out
    assert await votes(rapport, 1) == 2


async def test_a_double_click_and_a_retry_count_once(talk: Talk, rapport: Assembly) -> None:
    await talk(CHECKLIST)
    out = await talk("eve clicks ideas.vote 1\neve clicks ideas.vote 1\nretry\n")
    assert out.count("[edit m1]") == 1
    assert out.count("You voted for #1") == 1
    assert "retried delivery ignored" in out
    assert "withdrawn" not in out
    assert await votes(rapport, 1) == 1


def _click(handle: str, event_id: str, idea_id: int) -> Action:
    return Action(
        event_id=event_id,
        platform="local",
        workspace="demo",
        actor=Actor(id=handle, name=handle),
        action_id="ideas.vote",
        value=str(idea_id),
    )


async def test_concurrent_votes_all_count_and_the_post_shows_them_all(
    talk: Talk, rapport: Assembly
) -> None:
    # Runs on PostgreSQL too, where the two transactions really overlap.
    await talk(CHECKLIST)
    outcomes = await asyncio.gather(
        rapport.bot.dispatch(_click("eve", "race-eve", 1)),
        rapport.bot.dispatch(_click("fay", "race-fay", 1)),
    )
    assert [o.status for o in outcomes] == ["handled", "handled"]
    assert await votes(rapport, 1) == 2
    await rapport.runtime.settle()
    lines = rapport.shell.platform.lines
    edits = [line for line in lines if line.startswith("[edit m1]")]
    assert len(edits) == 2
    final = rapport.shell.platform.posted["m1"].message
    assert "2 votes" in final.text


async def test_the_same_person_clicking_twice_at_once_counts_once(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(CHECKLIST)
    await asyncio.gather(
        rapport.bot.dispatch(_click("eve", "twice-1", 1)),
        rapport.bot.dispatch(_click("eve", "twice-2", 1)),
    )
    assert await votes(rapport, 1) == 1
    async with rapport.db.session() as session:
        rows = (await session.exec(select(func.count()).select_from(IdeaVote))).one()
    assert rows == 1


async def test_a_bulb_reaction_makes_a_message_an_idea_once(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "bob in #general: We should share one calendar for offsites, ask @cara\n"
        "eve reacts :bulb: to m1\n"
    )
    assert "[#ideas] (m2) *💡 #1 We should share one calendar for offsites, ask @Cara Diaz*" in out
    assert "by @bob · 🆕 new · 0 votes" in out
    assert "Posted @bob's message as idea #1 in #ideas, credited to @bob." in out
    assert "[dm @bob] " in out and "@eve turned your message into idea #1" in out
    out = await talk(
        "fay reacts :bulb: to m1\nretry\neve reacts :bulb: to m2\neve reacts :thumbsup: to m1\n"
    )
    assert "[#ideas]" not in out and "Posted" not in out
    assert await idea_count(rapport) == 1
    stored = await idea(rapport, 1)
    assert stored.source_ref == "m1" and stored.author_id != 0
    out = await talk("dan in #general: /idea stage 1 planned")
    assert "[dm @bob] " in out and "to 🗓️ planned" in out


async def test_a_reacted_message_is_neutralised_and_duplicates_are_pointed_out(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(CHECKLIST)
    out = await talk(
        "eve in #general: <!channel> the onboarding checklist is too long\n"
        "eve reacts :bulb: to m4\n"
    )
    post = next(line for line in ("\n" + out).split("\n[") if line.startswith("#ideas]"))
    assert "<!channel>" not in post and "‹!channel›" in post
    assert "Posted your message as idea #2" in out
    assert "It looks like #1 Shorter onboarding checklist" in out
    assert "`/idea merge #2 #1`" in out


async def test_two_people_reacting_at_once_make_one_idea(talk: Talk, rapport: Assembly) -> None:
    await talk("bob in #general: Bring back the Friday demos")

    def bulb(handle: str) -> Reaction:
        return Reaction(
            event_id=f"bulb-{handle}",
            platform="local",
            workspace="demo",
            actor=Actor(id=handle, name=handle),
            channel="general",
            emoji="bulb",
            message_id="m1",
            message_author="bob",
            message_text="Bring back the Friday demos",
        )

    outcomes = await asyncio.gather(
        rapport.bot.dispatch(bulb("eve")), rapport.bot.dispatch(bulb("fay"))
    )
    assert [o.status for o in outcomes] == ["handled", "handled"]
    assert await idea_count(rapport) == 1
    await rapport.runtime.settle()
    posts = [line for line in rapport.shell.platform.lines if line.startswith("[#ideas]")]
    assert len(posts) == 1


# The fake embeddings server's notion of meaning: words of one concept share a dimension.
CONCEPTS = {"bike": 0, "bikes": 0, "bicycle": 0, "cycling": 0, "park": 1, "racks": 1, "coffee": 2}


def fake_vector(text: str) -> list[float]:
    vector = [0.0] * 8
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in CONCEPTS:
            vector[CONCEPTS[word]] += 1.0
        else:  # any other word: a little deterministic noise
            vector[3 + zlib.crc32(word.encode()) % 5] += 0.2
    return vector


@pytest.fixture
async def fake_openai(rapport: Assembly) -> AsyncIterator[FakeOpenAI]:
    """A local OpenAI-compatible embeddings server; the bot is pointed at it."""
    async with serving(rapport, FakeOpenAI(embed=fake_vector)) as fake:
        yield fake


async def test_with_openai_configured_duplicates_are_found_by_embeddings(
    talk: Talk, fake_openai: FakeOpenAI
) -> None:
    await talk("bob in #general: /idea Bicycle racks by the entrance")
    assert fake_openai.requests == []  # nothing to compare the first idea with
    out = await talk("eve in #general: /idea Somewhere to park our bikes")
    # No word in common, so only the embeddings can tell these are the same idea.
    assert "is yours one of these?" in out and "#1 Bicycle racks by the entrance" in out
    body, authorization = fake_openai.requests[-1], fake_openai.authorizations[-1]
    assert authorization == "Bearer test-key"
    assert body["model"] == "text-embedding-3-small"
    assert body["input"] == ["Somewhere to park our bikes\n", "Bicycle racks by the entrance\n"]
    out = await talk("fay in #general: /idea Free coffee on Mondays")
    assert "is yours one of these?" not in out and "💡 #3 Free coffee on Mondays" in out


async def test_when_embeddings_fail_the_local_similarity_answers(
    talk: Talk, rapport: Assembly, fake_openai: FakeOpenAI
) -> None:
    await talk("bob in #general: /idea Bicycle racks by the entrance")
    fake_openai.failing = True
    out = await talk("eve in #general: /idea Somewhere to park our bikes")
    assert fake_openai.requests, "the embeddings server was asked"
    assert "is yours one of these?" not in out and "💡 #2 Somewhere to park our bikes" in out
    out = await talk("fay in #general: /idea More bicycle racks by the entrance")
    assert "is yours one of these?" in out and "#1 Bicycle racks by the entrance" in out
    assert "went wrong" not in out


async def test_stages_are_for_moderators_and_tell_authors_and_voters(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(CHECKLIST + "\neve clicks ideas.vote 1\n")
    out = await talk("bob in #general: /idea stage 1 planned")
    assert "Only people with the community manager role can do that." in out
    assert (await idea(rapport, 1)).stage == "new"
    out = await talk("dan in #general: /idea stage #1 under review")
    assert "[dm @bob] " in out and "moved from 🆕 new to 🔎 under review" in out
    assert "🔎 under review" in last_edit(out, "m1")
    assert "[dm @eve]" not in out
    out = await talk(
        "ann in #general: /idea stage 1 planned\ndan in #general: /idea stage 1 in-progress"
    )
    assert "to 🗓️ planned" in out and "to 🚧 in progress" in out
    out = await talk("dan in #general: /idea stage 1 done")
    assert "[dm @bob] " in out and "to ✅ done" in out
    assert "[dm @eve] " in out and "An idea you voted for is done: #1" in out
    assert "2 people were told" in out
    assert "Upvote" not in last_edit(out, "m1")
    out = await talk("eve clicks ideas.vote 1")
    assert "already done" in out
    out = await talk("dan in #general: /idea stage 1 done")
    assert "already done" in out
    out = await talk("dan in #general: /idea stage 1 shipped")
    assert "'shipped' is not a stage" in out


async def test_declining_needs_a_reason_and_stops_votes(talk: Talk, rapport: Assembly) -> None:
    await talk(CHECKLIST)
    out = await talk("eve in #general: /idea decline 1 not now")
    assert "Only people with the community manager role" in out
    out = await talk("dan in #general: /idea decline 1")
    assert "Please say why" in out
    out = await talk("dan in #general: /idea stage 1 declined")
    assert "give the reason" in out
    assert (await idea(rapport, 1)).stage == "new"
    out = await talk("dan in #general: /idea decline #1 the checklist is a legal requirement")
    assert (
        "moved from 🆕 new to 🚫 declined. The reason: the checklist is a legal requirement" in out
    )
    assert "Declined: the checklist is a legal requirement" in last_edit(out, "m1")
    out = await talk("eve clicks ideas.vote 1")
    assert "was declined (the checklist is a legal requirement)" in out
    assert "no longer takes votes" in out
    assert await votes(rapport, 1) == 0


async def test_similar_ideas_are_offered_before_posting(talk: Talk, rapport: Assembly) -> None:
    await talk(CHECKLIST)
    out = await talk("eve in #general: /idea Our onboarding checklist is far too long")
    assert "[#ideas]" not in out
    assert "is yours one of these?" in out
    assert "• #1 Shorter onboarding checklist (0 votes, 🆕 new)" in out
    assert "[👍 Upvote #1] ideas.vote 1" in out
    assert "[Post mine anyway] ideas.publish 2" in out
    out = await talk("eve clicks ideas.vote 1\neve clicks ideas.discard 2")
    assert "You voted for #1" in out and "Discarded" in out
    assert await idea_count(rapport) == 1
    out = await talk("fay in #general: /idea Onboarding checklist: shorter please")
    assert "is yours one of these?" in out
    draft = re.search(r"\[Post mine anyway\] ideas.publish (\d+)", out)
    assert draft is not None
    out = await talk(f"bob clicks ideas.publish {draft[1]}")
    assert "already posted or discarded" in out
    out = await talk(f"fay clicks ideas.publish {draft[1]}")
    assert "[#ideas] " in out and f"💡 #{draft[1]} Onboarding checklist*\nshorter please" in out
    out = await talk(f"fay clicks ideas.publish {draft[1]}")
    assert "already posted or discarded" in out
    out = await talk("fay in #general: /idea Bike parking in the garage")
    assert "is yours one of these?" not in out and "Bike parking in the garage*" in out
    assert await idea_count(rapport) == 3


async def test_merging_keeps_the_union_of_voters_and_credits_authors(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        CHECKLIST + "\n"
        "eve in #general: /idea Buddy for every new joiner\n"
        "cara clicks ideas.vote 1\n"
        "eve clicks ideas.vote 1\n"
        "eve clicks ideas.vote 2\n"
        "fay clicks ideas.vote 2\n"
    )
    out = await talk("bob in #general: /idea merge 2 1")
    assert "Only people with the community manager role" in out
    out = await talk("dan in #general: /idea merge #2 #1")
    assert "Merged #2 into #1: it now has 3 votes (1 gained, nobody counted twice)" in out
    assert "by @bob with @eve · 🆕 new · 3 votes" in last_edit(out, "m1")
    assert "Merged into #1: vote there." in out
    assert "[dm @eve] " in out and "you are credited as a co-author there" in out
    assert "[dm @bob] " in out and "was merged into your idea #1" in out
    assert await votes(rapport, 1) == 3
    async with rapport.db.session() as session:
        credited = (await session.exec(select(IdeaAuthor.idea_id))).all()
    assert credited == [1]
    out = await talk("fay clicks ideas.vote 2")
    assert "merged into #1" in out
    out = await talk("dan in #general: /idea stage 1 planned")
    assert "[dm @bob] " in out and "[dm @eve] " in out and "to 🗓️ planned" in out
    out = await talk("dan in #general: /idea merge 1 1\ndan in #general: /idea merge 2 1")
    assert "cannot be merged into itself" in out
    assert "#2 is merged: it cannot take part in a merge" in out


async def test_top_ranks_by_time_decayed_votes(talk: Talk) -> None:
    await talk(
        "bob in #general: /idea Free coffee on Mondays\n"
        "ann clicks ideas.vote 1\ncara clicks ideas.vote 1\neve clicks ideas.vote 1\n"
    )
    await talk("advance 60d")
    await talk(
        "eve in #general: /idea Remote work stipend\n"
        "ann clicks ideas.vote 2\nfay clicks ideas.vote 2\n"
    )
    out = await talk("bob in #general: /idea top")
    assert "*Top ideas*" in out
    ranking = out.split("*Top ideas*")[1]
    assert ranking.index("#2 Remote work stipend: 2 votes") < ranking.index(
        "#1 Free coffee on Mondays: 3 votes"
    )
    assert "score 2.00" in ranking and "score 0.15" in ranking


async def test_campaigns_remind_before_the_deadline_and_post_the_top_ideas_at_close(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        'bob in #general: /idea campaign open "How can we cut onboarding time?" 2027-01-20'
    )
    assert "Only people with the community manager role" in out
    out = await talk(
        'dan in #general: /idea campaign open "How can we cut onboarding time?" 2027-01-20'
    )
    assert (
        "[#ideas] " in out
        and "📣 New ideas campaign c1 from @dan: How can we cut onboarding time?" in out
    )
    assert "until Thu, Jan 21, 2027 00:00 GMT" in out
    out = await talk(
        "bob in #general: /idea c1 Buddy system — a buddy for each joiner\n"
        "eve in #general: /idea Welcome video — ten minutes on who does what\n"
        "eve in #general: /idea join #2 c1\n"
        "fay in #general: /idea Parking spaces for bikes\n"
        "ann clicks ideas.vote 2\ncara clicks ideas.vote 2\nfay clicks ideas.vote 1\n"
    )
    assert "campaign c1: How can we cut onboarding time?" in out
    assert "Idea #2 is now part of campaign c1" in out
    out = await talk("bob in #general: /idea join #2 c1")
    assert "Only the idea's author or a community manager" in out
    out = await talk("eve in #general: /idea top c1")
    assert "Top ideas for c1" in out and "#3 Parking" not in out
    out = await talk("advance 14d")  # Monday 18 Jan, 09:00: not yet
    assert "⏰" not in out
    out = await talk("advance 1d")  # the reminder is due 48 hours before the close
    assert "[#ideas] " in out and "⏰ Campaign c1 closes Thu, Jan 21, 2027 00:00 GMT" in out
    assert "It has 2 ideas so far" in out
    out = await talk("advance 1d")
    assert "🏁" not in out
    out = await talk("advance 1d")
    results = out.split("🏁 Campaign c1 has closed: How can we cut onboarding time?")[1]
    assert "1. #2 Welcome video: 2 votes" in results and "2. #1 Buddy system: 1 vote" in results
    assert "Parking" not in results
    out = await talk(
        "bob in #general: /idea c1 Onboarding hackathon\nbob in #general: /idea campaigns"
    )
    assert "Campaign c1 has closed: it takes no more ideas" in out
    assert "No campaign is open right now" in out
    out = await talk("advance 30d")
    assert "🏁" not in out and "⏰" not in out


async def test_a_campaign_can_be_closed_early_and_then_does_not_remind(talk: Talk) -> None:
    await talk(
        'dan in #general: /idea campaign open "Better offsites?" 2027-02-01 17:00\n'
        "bob in #general: /idea c1 Fewer slides, more walks\n"
    )
    out = await talk("dan in #general: /idea campaign close c1")
    assert "🏁 Campaign c1 has closed: Better offsites?" in out
    assert "1. #1 Fewer slides, more walks: 0 votes" in out
    out = await talk("dan in #general: /idea campaign close c1")
    assert "already closed" in out
    out = await talk("advance 40d")
    assert "⏰" not in out and "🏁" not in out


async def test_campaign_input_is_checked(talk: Talk) -> None:
    cases = {
        'dan in #general: /idea campaign open "Better offsites?"': "needs a question in quotes",
        'dan in #general: /idea campaign open "Better offsites?" 2026-12-01': "already passed",
        'dan in #general: /idea campaign open "Better offsites?" 2027-13-45': "not a date",
        "dan in #general: /idea campaign open 2027-02-01": "needs a question",
        "dan in #general: /idea top c9": "There is no campaign c9",
        "bob in #general: /idea c9 Something good": "There is no campaign c9",
        "dan in #general: /idea campaign reopen c1": "Did you mean `/idea campaign open`?",
    }
    for line, answer in cases.items():
        out = await talk(line)
        assert answer in out, (line, out)
        assert "[#ideas]" not in out


async def test_bad_input_gets_friendly_answers_and_saves_nothing(
    talk: Talk, rapport: Assembly
) -> None:
    cases = {
        "bob in #general: /idea — only details here": "Your idea needs a title",
        f"bob in #general: /idea {'x' * 5000}": "That title is 5,000 characters",
        f"bob in #general: /idea More snacks — {'y' * 10_000}": "The details are 10,000 characters",
        "dan in #general: /idea stage 42 planned": "There is no idea #42",
        "dan in #general: /idea stage twelve planned": "'twelve' is not an idea number",
        "dan in #general: /idea stage 1": "Usage: `/idea stage #12 planned`",
        "dan in #general: /idea merge 1": "Usage: `/idea merge #FROM #INTO`",
        "bob in #general: /idea join 1": "Usage: `/idea join #12 c2`",
    }
    for line, answer in cases.items():
        out = await talk(line)
        assert answer in out, (line, out)
        assert "[#ideas]" not in out
        assert "Traceback" not in out and "went wrong" not in out
    out = await talk("eve clicks ideas.vote 42")
    assert "There is no idea #42" in out
    assert await idea_count(rapport) == 0


async def test_a_refused_idea_hands_back_what_was_typed(talk: Talk) -> None:
    long_title = "idea " * 100
    out = await talk(f"bob in #general: /idea {long_title}")
    assert "please keep it to at most 150" in out
    assert f"What you wrote: /idea {long_title.strip()}" in out


async def test_crowd_pings_and_markup_are_neutralised(talk: Talk) -> None:
    out = await talk("bob in #general: /idea <!channel> @here free <b>lunch</b> — for <@U999> too")
    post = next(line for line in ("\n" + out).split("\n[") if line.startswith("#ideas]"))
    assert "<!channel>" not in post and "‹!channel›" in post
    assert "@here" not in post and "@\u2060here" in post
    assert "<b>" not in post and "‹b›lunch‹/b›" in post
    assert "<@U999>" not in post


async def test_help_lists_everything_and_idea_is_in_the_bot_help(talk: Talk) -> None:
    out = await talk("bob in #general: /idea help")
    assert "`/idea Title — details`" in out and "`/idea top [c2]`" in out
    assert "`/idea merge #12 #7`" in out and "`/idea campaign [open" in out
    assert "React with :bulb: on someone's message" in out
    assert "each vote weighs half as much every 14 days" in out
    out = await talk("bob dm: help")
    assert "`/idea`: /idea Title — details: suggest an idea" in out


async def test_the_ideas_channel_comes_from_the_environment(
    talk: Talk, rapport: Assembly, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IDEAS_CHANNEL", "suggestions")
    features = configured([SECTION], env_file=None).features
    rapport.bot.settings = rapport.bot.settings.with_features(features)
    out = await talk(CHECKLIST)
    assert "[#suggestions] (m1) *💡 #1 Shorter onboarding checklist*" in out
    out = await talk("eve clicks ideas.vote 1")
    assert "1 vote" in last_edit(out, "m1")


async def test_admins_change_ideas_settings_in_chat(talk: Talk, rapport: Assembly) -> None:
    out = await talk("bob in #general: /idea settings")
    assert "Ideas settings: channel: ideas, emoji: bulb, similarity: 0.3" in out
    assert "half-life: 14, reminder-hours: 48" in out
    out = await talk("bob in #general: /idea settings channel suggestions")
    assert "Only people with the admin role can do that." in out
    out = await talk(
        "ann in #general: /idea settings half-life soon\n"
        "ann in #general: /idea settings colour blue\n"
        "ann in #general: /idea settings similarity 7\n"
    )
    assert "'soon' doesn't work for half-life" in out
    assert "Unknown setting 'colour'" in out
    assert "'7' doesn't work for similarity: it must be a number from 0.05 to 1." in out
    first = re.search(r"\[#ideas\] \((m\d+)\)", await talk(CHECKLIST))
    assert first is not None
    out = await talk("ann in #general: /idea settings channel #suggestions")
    assert "Ideas setting channel is now suggestions" in out
    out = await talk("eve in #general: /idea Bike parking in the garage\nbob clicks ideas.vote 1\n")
    assert "[#suggestions] " in out and "💡 #2 Bike parking in the garage" in out
    assert "1 vote" in last_edit(out, first[1])
    assert (await idea(rapport, 1)).channel == "ideas"  # a posted idea is edited where it is


async def test_comments_in_an_ideas_thread_tie_the_commenter_to_its_authors(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(CHECKLIST)
    assert "[thread m1 in #ideas] (m2) 💬 Discuss idea #1 here" in out
    out = await talk(
        "eve replies to m1: could the checklist live in the wiki?\n"
        "retry\n"
        "fay replies to m1: +1\n"
        "bob replies to m1: good point, will do\n"
        "eve in #general: unrelated chatter\n"
    )
    assert "[thread m1 in #ideas]" in out and "eve: could the checklist live in the wiki?" in out
    assert await comment_edges(rapport) == [("eve", "bob"), ("fay", "bob")]

    # Merged into another idea, bob becomes its co-author: a comment there reaches both.
    await talk(
        "eve in #general: /idea Quarterly hack day -- one day to build anything\n"
        "dan in #general: /idea merge #1 #2\n"
    )
    posts = rapport.shell.platform.posted.values()
    post = next(p for p in posts if p.message.text.startswith("💡 #2 Quarterly hack day"))
    await talk(f"fay replies to {post.message_id}: love it")
    assert await comment_edges(rapport) == [
        ("eve", "bob"),
        ("fay", "bob"),
        ("fay", "eve"),
        ("fay", "bob"),
    ]


async def comment_edges(rapport: Assembly) -> list[tuple[str, str]]:
    async with rapport.db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        found = await session.exec(
            select(Interaction)
            .where(Interaction.kind == "idea_comment")
            .order_by(col(Interaction.id))
        )
        return [(people[e.source_id], people[e.target_id]) for e in found.all()]

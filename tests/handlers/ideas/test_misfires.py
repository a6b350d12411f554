"""Stray and mistyped `/idea` commands post nothing in public; `/idea list` and `/idea mine`
answer what they say. Demo workspace: ann is admin, dan community manager, bob and eve members.
"""

import pytest
from sqlmodel import func, select

from bot.wiring.assembly import Assembly
from handlers.ideas.tables import Idea
from handlers.ideas.typos import distance, meant
from tests.handlers.conftest import Talk

SUBCOMMANDS = ["help", "top", "list", "mine", "stage", "merge", "campaign", "campaigns"]


async def idea_count(rapport: Assembly) -> int:
    async with rapport.db.session() as session:
        return (await session.exec(select(func.count()).select_from(Idea))).one()


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("bob in #general: /idea x", "“x” is a little short for an idea"),
        ("bob in #general: /idea tpo", "Did you mean `/idea top`?"),
        ("dan in #general: /idea stgae #1 done", "Did you mean `/idea stage`?"),
        ("dan in #general: /idea campain open", "Did you mean `/idea campaign`?"),
        ("ann in #general: /idea setings min-title 5", "Did you mean `/idea settings`?"),
        ("bob in #general: /idea Wifi", "at least 10 characters"),
    ],
)
async def test_a_stray_or_mistyped_command_posts_nothing(
    talk: Talk, rapport: Assembly, line: str, answer: str
) -> None:
    out = await talk(line)
    assert answer in out, out
    assert "[#ideas]" not in out
    assert await idea_count(rapport) == 0


async def test_a_title_that_only_starts_like_a_command_is_an_idea(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("bob in #general: /idea Stop meetings on Friday afternoons")
    assert "[#ideas] (m1) *💡 #1 Stop meetings on Friday afternoons*" in out
    assert await idea_count(rapport) == 1


async def test_list_and_mine_answer_and_post_nothing(talk: Talk, rapport: Assembly) -> None:
    out = await talk("bob in #general: /idea list\nbob in #general: /idea mine")
    assert "Top ideas: no ideas yet." in out
    assert "You have no ideas posted yet." in out
    await talk(
        "bob in #general: /idea Shorter onboarding checklist — keep what matters\n"
        "eve in #general: /idea Quarterly hack day — one day to build anything\n"
        "eve clicks ideas.vote 1\n"
    )
    out = await talk("bob in #general: /idea list")
    assert "1. #1 Shorter onboarding checklist: 1 vote" in out
    assert "2. #2 Quarterly hack day: 0 votes" in out
    out = await talk("bob in #general: /idea mine")
    assert "Your ideas:\n• #1 Shorter onboarding checklist: 1 vote, 🆕 new" in out
    assert "hack day" not in out
    out = await talk("bob in #general: /idea mine the logs for errors")
    assert "`/idea mine` lists your ideas and takes nothing after it" in out
    assert await idea_count(rapport) == 2


async def test_the_form_refuses_a_short_title_too(talk: Talk, rapport: Assembly) -> None:
    await talk("bob in #general: /idea")
    out = await talk('bob submits ideas.submit title="Wifi" details="it drops every hour"')
    assert "[form errors for @bob] title: “Wifi” is a little short for an idea" in out
    assert await idea_count(rapport) == 0


async def test_admins_set_the_shortest_title(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /idea settings min-title 4")
    assert "Ideas setting min-title is now 4." in out
    out = await talk("bob in #general: /idea Wifi — it drops every hour")
    assert "[#ideas] (m2) *💡 #1 Wifi*" in out
    out = await talk("ann in #general: /idea settings min-title 0")
    assert "'0' doesn't work for min-title" in out


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    assert distance("tpo", "top") == 1
    assert distance("stgae", "stage") == 1
    assert distance("kitten", "sitting") == 3
    assert distance("", "top") == 3


@pytest.mark.parametrize(
    ("text", "subcommand"),
    [
        ("tpo", "top"),
        ("lsit", "list"),
        ("Mnie", "mine"),
        ("merg #2 #1", "merge"),
        ("campaings", "campaigns"),
        ("top", None),
        ("Stop meetings on Fridays", None),
        ("Hello", None),
        ("stager c1", "stage"),
        ("stages for the band", None),
    ],
)
def test_a_near_miss_is_a_typo_only_when_it_reads_like_one(
    text: str, subcommand: str | None
) -> None:
    word, _, rest = text.partition(" ")
    assert meant(word, rest, SUBCOMMANDS, {"open", "close"}) == subcommand

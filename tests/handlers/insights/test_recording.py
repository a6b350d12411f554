"""Each feature records its interactions as it happens, once, through the local platform."""

import re

from sqlmodel import select

from bot.models import Interaction, Person
from bot.wiring.assembly import Assembly
from handlers import features
from handlers.insights import rebuild_interactions
from tests.handlers.conftest import Talk


async def edges(rapport: Assembly) -> list[tuple[str, str, str]]:
    """(kind, source, target) by handle, in the order recorded."""
    async with rapport.db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        found = (await session.exec(select(Interaction).order_by(Interaction.id))).all()  # type: ignore[arg-type]
        return [(e.kind, people[e.source_id], people[e.target_id]) for e in found]


def button(output: str, action: str) -> str:
    match = re.findall(rf"\] {re.escape(action)} (\S+)", output)
    assert match, output
    return str(match[-1])


async def rebuilt_adds_nothing(rapport: Assembly) -> None:
    """The backfill derives the very edges recorded live, so it finds nothing new."""
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Person.workspace_id))).first()
        assert workspace is not None
        assert await rebuild_interactions(session, workspace, features()) == 0


async def test_kudos_by_command_and_reaction_and_undo(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /kudos @bob @eve thanks for the great demo\nretry")
    assert await edges(rapport) == [("kudos", "ann", "bob"), ("kudos", "ann", "eve")]
    await rebuilt_adds_nothing(rapport)
    await talk(f"ann clicks kudos.undo {button(out, 'kudos.undo')}")
    assert await edges(rapport) == []
    out = await talk("bob in #general: shipped the release notes")
    message = re.findall(r"\((m\d+)\)", out)[-1]
    await talk(f"eve reacts :tada: to {message}\nretry\neve reacts :tada: to {message}")
    assert await edges(rapport) == [("kudos", "eve", "bob")]


async def test_an_accepted_answer_links_answerer_and_asker(talk: Talk, rapport: Assembly) -> None:
    await talk("bob in #general: /expert add payroll\nann in #general: /ask when is payroll run?")
    await talk("bob clicks qa.claim 1\nbob dm: /answer 1 On the 25th of each month.")
    assert await edges(rapport) == []  # not until the asker accepts it
    await talk("ann clicks qa.accept 1\nretry\nann clicks qa.accept 1")
    assert await edges(rapport) == [("answer", "bob", "ann")]
    await rebuilt_adds_nothing(rapport)


async def test_an_anonymous_question_records_nothing(talk: Talk, rapport: Assembly) -> None:
    await talk("bob in #general: /expert add payroll\nann in #general: /ask anon payroll day?")
    await talk("bob clicks qa.claim 1\nbob dm: /answer 1 The 25th.\nann clicks qa.accept 1")
    assert await edges(rapport) == []


async def test_mentoring_meetings(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        'dan in #general: /mentor\ndan submits mentor.profile role=mentor skills="python" '
        'goals="" capacity=\n'
        'cara in #general: /mentor\ncara submits mentor.profile role=mentee skills="" '
        'goals="python" capacity=\n'
        "ann in #general: /mentor round\n"
        "advance 4h\n"  # the introduction waits for cara's morning in New York
    )
    pair = button(out, "mentor.accept")
    await talk(f"dan clicks mentor.accept {pair}\ncara clicks mentor.accept {pair}")
    await talk(
        f"advance 14d\ncara clicks mentor.met {pair}:yes\nretry\ndan clicks mentor.met {pair}:no"
    )
    assert await edges(rapport) == [("mentoring", "dan", "cara")]
    await talk(f"advance 14d\ndan clicks mentor.met {pair}:yes")
    assert await edges(rapport) == [("mentoring", "dan", "cara")] * 2
    await rebuilt_adds_nothing(rapport)


async def test_coffee_meetings(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "ann in #general: /coffee join\nbob in #general: /coffee join\n"
        "cara in #general: /coffee join\nann in #general: /coffee now\n"
        "advance 4h"  # the introduction waits for cara's morning in New York
    )
    group = button(out, "coffee.met").split(":")[0]
    await talk(f"ann clicks coffee.met {group}:no")
    assert await edges(rapport) == []
    await talk(f"bob clicks coffee.met {group}:yes\nretry\ncara clicks coffee.met {group}:yes")
    assert sorted(await edges(rapport)) == [
        ("coffee", "ann", "bob"),
        ("coffee", "ann", "cara"),
        ("coffee", "bob", "cara"),
    ]
    await rebuilt_adds_nothing(rapport)


async def test_idea_votes_withdrawals_and_co_authors(talk: Talk, rapport: Assembly) -> None:
    await talk(
        "bob in #general: /idea Shorter onboarding checklist — keep the 10 items that matter\n"
        "eve in #general: /idea Buddy for every new joiner\n"
        "cara clicks ideas.vote 1\nretry\nbob clicks ideas.vote 1\nfay clicks ideas.vote 2\n"
    )
    assert await edges(rapport) == [("vote", "cara", "bob"), ("vote", "fay", "eve")]
    await talk("advance 5s\ncara clicks ideas.vote 1")
    assert await edges(rapport) == [("vote", "fay", "eve")]
    await talk("dan in #general: /idea merge #2 #1\nann clicks ideas.vote 1")
    assert await edges(rapport) == [
        ("vote", "fay", "eve"),
        ("coauthor", "bob", "eve"),
        ("vote", "ann", "bob"),
        ("vote", "ann", "eve"),
    ]

"""Mentoring, as conversations on the local platform.

Demo workspace: ann (admin, London, Engineering), bob (London, Engineering, reports to ann),
cara (New York, People), dan (Berlin, Community), eve and fay (Singapore and Los Angeles,
Sales, both report to dan).
"""

import asyncio
import re
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.models import Person, Workspace
from bot.store.db import Database, make_engine
from bot.store.migrate import upgrade
from bot.wiring.assembly import Assembly
from bot.wiring.cli import app
from bot.wiring.demo import seed_demo
from handlers import features
from handlers.mentoring import rounds
from handlers.mentoring.profiles import ImportFailed, import_csv, parse_tags
from handlers.mentoring.tables import MentorPair, MentorProfile
from tests.conftest import START
from tests.handlers.conftest import Talk


def profile(who: str, role: str, skills: str = "", goals: str = "", capacity: str = "") -> str:
    return (
        f"{who} in #general: /mentor\n"
        f'{who} submits mentor.profile role={role} skills="{skills}" goals="{goals}" '
        f"capacity={capacity}\n"
    )


# Monday 09:00 UTC is 04:00 in New York: an introduction to cara waits for her morning.
ROUND = "ann in #general: /mentor round\nadvance 4h\n"


async def pairs(rapport: Assembly) -> list[tuple[str, str, str]]:
    """(mentor, mentee, status) for every pair ever made."""
    async with rapport.db.session() as session:
        people = {p.id: p.platform_user_id for p in (await session.exec(select(Person))).all()}
        found = (await session.exec(select(MentorPair).order_by(MentorPair.id))).all()  # type: ignore[arg-type]
        return [(people[p.mentor_id], people[p.mentee_id], p.status) for p in found]


def button(output: str, action: str, label: str = "") -> str:
    match = re.findall(rf"\[{label or '[^]]+'}\] {re.escape(action)} (\S+)", output)
    assert match, output
    return str(match[-1])


async def test_the_form_saves_a_profile(talk: Talk) -> None:
    out = await talk("cara in #general: /mentor")
    assert "[form for @cara] mentor.profile “Mentoring profile”" in out
    assert "role (select: mentor|mentee|both)" in out and "capacity (number, optional)" in out
    out = await talk(
        'cara submits mentor.profile role=Both skills="Hiring, Interviewing;  hiring" '
        'goals="public speaking" availability="Mon mornings" capacity=3'
    )
    assert "Saved." in out
    out = await talk("cara dm: /mentor me")
    assert "Your mentoring profile: mentor and mentee" in out
    assert "Skills offered: hiring and interviewing" in out
    assert "Goals sought: public speaking" in out
    assert "Availability: Mon mornings" in out and "Capacity: 3 mentees at once" in out


async def test_a_round_introduces_both_sides_and_says_why(talk: Talk, rapport: Assembly) -> None:
    await talk(
        profile("dan", "mentor", "community building, python", capacity="2")
        + profile("cara", "mentee", goals="python, sql")
    )
    out = await talk("ann in #general: /mentor round")
    assert "Mentoring round done: 1 new match." in out
    # Both sides meet in one group DM, with one set of buttons that either can click, once
    # it is morning in New York.
    assert "[group dm" not in out
    out = await talk("advance 4h")
    assert "[group dm @dan @cara]" in out
    assert "Meet each other: @dan (Dan Okafor) will mentor @cara (Cara Diaz)." in out
    assert "Dan Okafor offers python, which Cara Diaz wants to grow in" in out
    assert "you share 2 working hours a day (Europe/Berlin and America/New_York)" in out
    assert "different departments (Community, People)" in out
    assert "Suggested first topics:" in out and "Where “python” shows up in your work" in out
    assert out.count("[Accept] mentor.accept") == 1 and out.count("[Decline] mentor.decline") == 1
    assert await pairs(rapport) == [("dan", "cara", "proposed")]


async def test_nobody_is_matched_within_a_reporting_line(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        "user zoe name=Zoe tz=Asia/Singapore dept=Sales manager=eve\n"
        + profile("dan", "mentor", "sales")  # manages eve, so is above zoe too
        + profile("eve", "both", "sales", "sales")  # zoe's manager; reports to dan
        + profile("zoe", "mentee", goals="sales")
        + profile("ann", "mentee", goals="python")  # bob's manager
        + profile("bob", "mentor", "python")
        + "ann in #general: /mentor round\n"
    )
    assert "Mentoring round done: 0 new matches." in out
    assert "Still waiting for a suitable mentor: Eve Martin, Zoe, and Ann Lee." in out
    assert await pairs(rapport) == []
    out = await talk(profile("fay", "mentor", "sales, python") + "ann in #general: /mentor round")
    assert set(await pairs(rapport)) == {("fay", "eve", "proposed"), ("fay", "ann", "proposed")}
    assert "Still waiting for a suitable mentor: Zoe." in out


async def test_capacity_is_never_exceeded(talk: Talk, rapport: Assembly) -> None:
    await talk(
        profile("ann", "mentor", "python", capacity="1")
        + profile("cara", "mentee", goals="python")
        + profile("dan", "mentee", goals="python")
        + profile("eve", "mentee", goals="python")
        + "ann in #general: /mentor round\n"
    )
    assert [m for m, _, _ in await pairs(rapport)] == ["ann"]
    await talk(profile("ann", "mentor", "python", capacity="2") + "ann in #general: /mentor round")
    assert [m for m, _, _ in await pairs(rapport)] == ["ann", "ann"]
    out = await talk("ann in #general: /mentor round")
    assert "0 new matches" in out
    assert len(await pairs(rapport)) == 2


async def test_do_not_pair_lists_hold_both_ways(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        profile("dan", "mentor", "python")
        + profile("cara", "mentee", goals="python")
        + "cara dm: /mentor avoid @dan\n"
        + "cara dm: /mentor avoid @dan\n"
        + "ann in #general: /mentor round\n"
    )
    assert "You won't be matched with Dan Okafor. They are not told." in out
    assert "(already on your list)" in out
    assert "0 new matches" in out
    assert await pairs(rapport) == []
    out = await talk(
        profile("fay", "mentee", goals="python")
        + "dan dm: /mentor avoid @fay\n"
        + "ann in #general: /mentor round\n"
    )
    assert "0 new matches" in out
    out = await talk("cara dm: /mentor avoid\ncara dm: /mentor avoid @cara")
    assert "Usage: `/mentor avoid @name`" in out and "never be matched with yourself" in out


async def test_accept_both_then_decline_is_replaced_and_never_repeated(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        profile("dan", "mentor", "python") + profile("cara", "mentee", goals="python") + ROUND
    )
    pair = button(out, "mentor.accept")
    out = await talk(f"eve clicks mentor.accept {pair}")
    assert "isn't yours" in out
    out = await talk(f"dan clicks mentor.accept {pair}")
    assert "Accepted. I'll let you know when Cara Diaz answers too." in out
    out = await talk(f"cara clicks mentor.accept {pair}")
    assert "You and Dan Okafor are on!" in out
    assert "[dm @dan]" in out and "You and Cara Diaz are on!" in out
    assert await pairs(rapport) == [("dan", "cara", "active")]
    out = await talk("cara dm: /mentor me\ndan dm: /mentor me")
    assert "Match: your mentor Dan Okafor (active)" in out
    assert "Match: your mentee Cara Diaz (active)" in out
    out = await talk(f"cara clicks mentor.decline {pair}")
    assert "This match is already active." in out

    # A second mentee declines; the next round finds him someone else, never dan again.
    out = await talk(
        "user gil name=Gil tz=Europe/Paris dept=Design\n"
        + profile("gil", "mentee", goals="python")
        + "ann in #general: /mentor round"
    )
    second = button(out, "mentor.decline")
    out = await talk(f"gil clicks mentor.decline {second}")
    assert "you'll be matched with someone else next round" in out
    assert "[dm @dan]" in out and "Gil can't take up this mentoring match" in out
    out = await talk("ann in #general: /mentor round")
    assert "0 new matches" in out and "Still waiting for a suitable mentor: Gil." in out
    await talk(profile("cara", "both", "python", "python") + "ann in #general: /mentor round")
    assert await pairs(rapport) == [
        ("dan", "cara", "active"),
        ("dan", "gil", "declined"),
        ("cara", "gil", "proposed"),
    ]


async def test_both_sides_accepting_at_once_activates_the_match(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        profile("dan", "mentor", "python") + profile("cara", "mentee", goals="python") + ROUND
    )
    pair = button(out, "mentor.accept")
    now = rapport.bot.clock.now()

    async def accept(who: str) -> str:
        async with rapport.db.session() as session:
            person = (
                await session.exec(select(Person).where(Person.platform_user_id == who))
            ).one()
            found = await rounds.pair_for(session, person, pair)
            rounds.answer(found, "accepted", now, 14)
            return found.pair.status

    # Cara's click arrives while Dan's is still being handled: it waits for the row, then
    # sees Dan's answer. Without the lock both would see "proposed" and neither activate it.
    async with rapport.db.session() as session:
        dan = (await session.exec(select(Person).where(Person.platform_user_id == "dan"))).one()
        first = await rounds.pair_for(session, dan, pair)
        rounds.answer(first, "accepted", now, 14)
        second = asyncio.create_task(accept("cara"))
        await asyncio.sleep(0.5)
        assert not second.done()
    assert await second == "active"
    assert await pairs(rapport) == [("dan", "cara", "active")]


async def test_check_ins_feedback_and_pausing_on_the_clock(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        profile("dan", "mentor", "python") + profile("cara", "mentee", goals="python") + ROUND
    )
    pair = button(out, "mentor.accept")
    await talk(f"dan clicks mentor.accept {pair}\ncara clicks mentor.accept {pair}")
    # Accepted at 13:00 on day 0: the check-in is due at 13:00 on day 14, so the daily pass
    # at 09:00 sends it on day 15.
    out = await talk("advance 14d")
    assert "Check-in" not in out
    out = await talk("advance 1d")
    assert "[dm @dan]" in out and "[dm @cara]" in out
    assert out.count("Check-in: did you meet") == 2
    out = await talk(f"cara clicks mentor.met {pair}:yes")
    assert "Great, thanks!" in out
    out = await talk("advance 14d")  # day 28: they answered, so just another check-in
    assert out.count("Check-in: did you meet") == 2 and "paused" not in out
    out = await talk("advance 14d")  # day 42: silence once; six weeks: feedback
    assert out.count("Check-in: did you meet") == 2
    assert out.count("How helpful has mentoring with") == 2
    assert "[Very] mentor.feedback" in out
    out = await talk("advance 14d")  # day 56: silence twice: paused, the admin is told
    assert "Check-in" not in out
    assert "[dm @ann]" in out
    assert "The mentoring match of Dan Okafor (mentor) and Cara Diaz (mentee) is paused" in out
    assert await pairs(rapport) == [("dan", "cara", "paused")]
    out = await talk("advance 28d")
    assert "Check-in" not in out and "paused" not in out
    async with rapport.db.session() as session:
        stored = (await session.exec(select(MentorPair))).one()
    assert (stored.met_yes, stored.met_no) == (1, 0)


async def test_a_pair_that_never_answers_is_paused(talk: Talk, rapport: Assembly) -> None:
    await talk(
        profile("dan", "mentor", "python")
        + profile("cara", "mentee", goals="python")
        + "ann in #general: /mentor round\n"
    )
    out = await talk("advance 14d")
    assert out.count("is waiting for an answer") == 2
    out = await talk("advance 14d")
    assert "is waiting for an answer" not in out
    assert "[dm @ann]" in out and "is paused: nobody answered 2 check-ins in a row" in out
    assert await pairs(rapport) == [("dan", "cara", "paused")]


async def test_feedback_is_recorded(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        profile("dan", "mentor", "python") + profile("cara", "mentee", goals="python") + ROUND
    )
    pair = button(out, "mentor.accept")
    await talk(f"dan clicks mentor.accept {pair}\ncara clicks mentor.accept {pair}\nadvance 1d")
    for _ in range(3):  # check-ins answered every two weeks; feedback after six
        out = await talk(f"advance 14d\ncara clicks mentor.met {pair}:no")
    value = button(out, "mentor.feedback", "Very")
    out = await talk(f"cara clicks mentor.feedback {value}\ncara clicks mentor.feedback {pair}:9")
    assert "Thank you for the feedback." in out
    assert "That feedback button is not one I know." in out
    async with rapport.db.session() as session:
        stored = (await session.exec(select(MentorPair))).one()
    assert (stored.mentor_feedback, stored.mentee_feedback) == (None, 3)
    assert (stored.met_yes, stored.met_no, stored.status) == (0, 3, "active")


async def test_scheduled_rounds(talk: Talk, rapport: Assembly) -> None:
    out = await talk("bob in #general: /mentor schedule weekly")
    assert "Only people with the admin role" in out
    out = await talk("ann in #general: /mentor schedule fortnightly-ish")
    assert "Try `/mentor schedule weekly`" in out
    out = await talk("ann in #general: /mentor schedule 0 99 * * *")
    assert "That schedule doesn't work" in out
    out = await talk("ann in #general: /mentor schedule weekly")
    assert "The next one is on 1/4/27, 9:00\u202fAM (Europe/London)" in out
    out = await talk(
        profile("dan", "mentor", "python")
        + profile("cara", "mentee", goals="python")
        + "advance 7d 4h"  # the round at 09:00 UTC; its introduction in cara's morning
    )
    assert "[group dm @dan @cara]" in out and "@dan (Dan Okafor) will mentor @cara" in out
    assert "[dm @ann]" in out and "Mentoring round done: 1 new match." in out
    out = await talk("ann in #general: /mentor schedule off\nadvance 7d")
    assert "Scheduled mentoring rounds are off" in out
    assert "Mentoring round done" not in out


async def test_only_admins_start_rounds(talk: Talk, rapport: Assembly) -> None:
    out = await talk(profile("dan", "mentor", "python") + "bob in #general: /mentor round")
    assert "Only people with the admin role can do that." in out
    assert await pairs(rapport) == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ('role=boss skills="python"', "role: Role must be mentor, mentee or both"),
        ('role=mentor skills="python" capacity=0', "capacity: Capacity is how many mentees"),
        ('role=mentor skills="python" capacity=100', "a whole number from 1 to 10"),
        ('role=mentor skills="python" capacity=-1', "a whole number from 1 to 10"),
        ('role=mentor skills="python" capacity=two', "a whole number from 1 to 10"),
        ("role=mentor", "skills: As a mentor, list the skills you can offer."),
        ("role=mentee", "goals: As a mentee, list the goals you want help with."),
        (f'role=mentor skills="{"x" * 5000}"', "skills: That list of skills is 5,000 characters"),
        (f'role=mentee goals="{"y" * 60}"', "is too long for one of your goals"),
    ],
)
async def test_bad_profiles_stay_in_the_form(
    talk: Talk, rapport: Assembly, fields: str, error: str
) -> None:
    await talk("cara in #general: /mentor")
    out = await talk(f"cara submits mentor.profile {fields}")
    assert "[form errors for @cara]" in out and error in out, out
    assert "Traceback" not in out
    async with rapport.db.session() as session:
        assert (await session.exec(select(MentorProfile))).first() is None


async def test_markup_in_a_profile_is_neutralised(talk: Talk) -> None:
    out = await talk(
        profile("dan", "mentor", "python, <!channel> @here <b>x</b>")
        + profile("cara", "mentee", goals="python, <!channel> @here <b>x</b>")
        + ROUND
    )
    assert "<!channel>" not in out and "<b>" not in out
    assert "‹!channel› @\u2060here ‹b›x‹/b›" in out
    assert "Dan Okafor offers python and ‹!channel› @\u2060here ‹b›x‹/b›, which" in out


async def test_unknown_words_and_help(talk: Talk) -> None:
    out = await talk("bob in #general: /mentor frobnicate")
    assert "I don't know `/mentor frobnicate`" in out
    out = await talk("bob in #general: /mentor help")
    assert "`/mentor avoid @name`" in out and "every 14 days" in out
    out = await talk("bob dm: help")
    assert "`/mentor`" in out and "`/coffee`" in out


async def test_leaving_mentoring(talk: Talk, rapport: Assembly) -> None:
    out = await talk("cara dm: /mentor off\ncara dm: /mentor me")
    assert "You're not taking part in mentoring" in out
    assert "You have no mentoring profile yet" in out
    out = await talk(
        profile("dan", "mentor", "python")
        + profile("cara", "mentee", goals="python")
        + "cara dm: /mentor off\n"
        + "ann in #general: /mentor round\n"
    )
    assert "You won't be matched in new rounds" in out
    assert "0 new matches" in out


CSV_GOOD = """user,role,skills,goals,availability,capacity
dan,mentor,"python; community building",,Tue afternoons,3
cara@example.com,mentee,,"python, sql",,
"""
CSV_BAD = """user,role,skills,goals,availability,capacity
dan,mentor,python,,,3
zed,mentee,,python,,
cara,boss,,python,,
fay,mentor,python,,,0
"""


async def _import(rapport: Assembly, text: str) -> int:
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        cara = (await session.exec(select(Person).where(Person.platform_user_id == "cara"))).one()
        cara.email = "cara@example.com"
        return await import_csv(session, workspace, text, rapport.bot.clock.now())


async def test_csv_import_all_or_nothing(talk: Talk, rapport: Assembly) -> None:
    with pytest.raises(ImportFailed) as failed:
        await _import(rapport, CSV_BAD)
    assert failed.value.errors == [
        "row 3: no one in this workspace has the user id or email 'zed'",
        "row 4: Role must be mentor, mentee or both (you wrote “boss”).",
        "row 5: Capacity is how many mentees you can take at once: a whole number from 1 to "
        "10 (you wrote “0”).",
    ]
    out = await talk("dan dm: /mentor me")
    assert "You have no mentoring profile yet" in out
    assert await _import(rapport, CSV_GOOD) == 2
    out = await talk("dan dm: /mentor me\ncara dm: /mentor me")
    assert "Skills offered: python and community building" in out
    assert "Capacity: 3 mentees at once" in out and "Availability: Tue afternoons" in out
    assert "Goals sought: python and sql" in out
    # Importing again updates in place.
    assert await _import(rapport, CSV_GOOD.replace(",3\n", ",1\n")) == 2
    out = await talk("dan dm: /mentor me")
    assert "Capacity: 1 mentee at once" in out


async def test_csv_import_rejects_a_bad_header(rapport: Assembly) -> None:
    with pytest.raises(ImportFailed) as failed:
        await _import(rapport, "name,role,colour\nann,mentor,blue\n")
    assert "missing: user" in failed.value.errors[0]
    assert "unknown: name, colour" in failed.value.errors[0]


async def _seeded(url: str) -> None:
    await upgrade(url)
    db = Database(make_engine(url))
    async with db.session() as session:
        await seed_demo(session, START, features())
    await db.dispose()


def test_the_cli_imports_a_csv(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.db"
    asyncio.run(_seeded(url))
    runner = CliRunner()
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_BAD)
    result = runner.invoke(app, ["mentoring", "import", str(bad), "--database-url", url])
    assert result.exit_code == 1
    assert "row 3: no one in this workspace" in result.output
    assert "nothing was imported" in result.output
    good = tmp_path / "good.csv"
    good.write_text(CSV_GOOD.replace("cara@example.com", "cara"))
    result = runner.invoke(app, ["mentoring", "import", str(good), "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "imported 2 mentoring profiles into Demo Co" in result.output
    missing = runner.invoke(
        app, ["mentoring", "import", str(tmp_path / "none.csv"), "--database-url", url]
    )
    assert missing.exit_code != 0


async def test_the_introduction_shows_the_answers_in_place(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        profile("dan", "mentor", "python")
        + profile("cara", "mentee", goals="python", capacity="")
        + ROUND
    )
    intro = re.search(r"\[group dm @dan @cara\] \((m\d+)\)", out)
    assert intro, out
    pair = button(out, "mentor.accept")

    out = await talk(f"dan clicks mentor.accept {pair}")
    edit = out[out.index(f"[edit {intro[1]}]") :]
    # Waiting for Cara: her buttons stay, and the message says who has answered.
    assert "✅ Dan Okafor accepted · waiting for Cara Diaz" in edit
    assert "[Accept] mentor.accept" in edit

    out = await talk(f"cara clicks mentor.accept {pair}")
    edit = out[out.index(f"[edit {intro[1]}]") :].split("\n[", 1)[0]
    assert "✅ Both accepted: you're on!" in edit
    assert "mentor.accept" not in edit and "mentor.decline" not in edit

    out = await talk(f"cara clicks mentor.decline {pair}")
    assert "This match is already active." in out and "[edit" not in out


async def test_a_declined_introduction_loses_its_buttons(talk: Talk, rapport: Assembly) -> None:
    out = await talk(
        profile("dan", "mentor", "python") + profile("cara", "mentee", goals="python") + ROUND
    )
    pair = button(out, "mentor.decline")
    out = await talk(f"cara clicks mentor.decline {pair}")
    edit = out[out.index("[edit ") :].split("\n[", 1)[0]
    assert "✖ Cara Diaz declined this match." in edit
    assert "mentor.accept" not in edit and "mentor.decline" not in edit
    out = await talk(f"cara clicks mentor.decline {pair}")
    assert "This match is already declined." in out and "[edit" not in out


def test_skills_are_split_at_chinese_and_japanese_commas_too() -> None:
    assert parse_tags("プレゼン、 採用面接，Public  Speaking", "skills") == [
        "プレゼン",
        "採用面接",
        "public speaking",
    ]

"""Everything that needs the organisation uses what an HR file says: pulse audiences by
department, mentoring's whole reporting line, cross-team coffee, fairness per department."""

from sqlmodel import col, select

from bot.models import Person, Workspace
from bot.wiring.assembly import Assembly
from handlers.mentoring.tables import MentorPair
from handlers.people.csv_import import import_people
from handlers.pulse.tables import PulseRespondent
from tests.handlers.conftest import Talk

# The demo workspace reorganised: Eve and Fay move to Platform under Bob, whose manager is
# Ann; Dan (Community) now reports to Fay.
HR = """user,department,manager
ann,Leadership,
bob,Platform,ann
eve,Platform,bob
fay,Platform,bob
dan,Community,fay
cara,People,ann
"""


async def _names(rapport: Assembly) -> dict[int | None, str]:
    async with rapport.db.session() as session:
        found = await session.exec(select(Person.id, Person.platform_user_id))
        return dict(found.all())


async def _imported(rapport: Assembly) -> None:
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        await import_people(session, workspace, HR, rapport.bot.clock.now())


async def test_a_pulse_for_a_department_goes_to_who_the_file_put_there(
    rapport: Assembly, talk: Talk
) -> None:
    await _imported(rapport)
    out = await talk(
        "cara in #hr: /pulse new\n"
        'cara submits pulse.new title="Platform pulse" questions="scale: How was your week?" '
        'audience="departments: Platform" schedule=once timezone=Europe/London anonymous=yes '
        "close=5"
    )
    assert "It goes to 3 people as of now." in out
    async with rapport.db.session() as session:
        invited = await session.exec(
            select(Person.platform_user_id).join(
                PulseRespondent, col(PulseRespondent.person_id) == col(Person.id)
            )
        )
        assert sorted(invited.all()) == ["bob", "eve", "fay"]


async def test_mentoring_never_pairs_anyone_up_the_reporting_line(
    rapport: Assembly, talk: Talk
) -> None:
    await _imported(rapport)
    out = await talk(
        'ann submits mentor.profile role=mentor skills="public speaking" capacity=2\n'
        'bob submits mentor.profile role=mentor skills="public speaking" capacity=2\n'
        'dan submits mentor.profile role=mentee goals="public speaking"\n'
        "ann in #general: /mentor round"
    )
    # Bob and Ann are above Dan (Dan → Fay → Bob → Ann): nobody may mentor him.
    assert "0 new matches. Still waiting for a suitable mentor: Dan Okafor." in out
    out = await talk(
        'cara submits mentor.profile role=mentor skills="public speaking"\n'
        "ann in #general: /mentor round"
    )
    assert "Mentoring round done: 1 new match." in out
    async with rapport.db.session() as session:
        pairs = (await session.exec(select(MentorPair))).all()
    names = await _names(rapport)
    assert [(names[p.mentor_id], names[p.mentee_id]) for p in pairs] == [("cara", "dan")]


async def test_coffee_shows_the_departments_of_the_file(rapport: Assembly, talk: Talk) -> None:
    await _imported(rapport)
    out = await talk(
        "bob in #general: /coffee join\ndan in #general: /coffee join\nann in #general: /coffee now"
    )
    assert "@bob (Platform) and @dan (Community) are paired" in out


async def test_fairness_is_per_department_of_the_file(rapport: Assembly, talk: Talk) -> None:
    await _imported(rapport)
    out = await talk(
        "eve in #general: /kudos @dan thanks for the community call\n"
        "fay in #general: /kudos @dan thanks for the write-up\n"
        "dan in #general: /rapport fairness"
    )
    assert "Platform" in out and "Community" in out

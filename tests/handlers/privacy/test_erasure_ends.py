"""What erasure ends: a mentee's match (and the mentor's place), a coffee pairing still to
come, and the person's standing as an expert and as the author of known answers.

Demo workspace (START is Monday 2027-01-04 09:00 UTC); zed is created by the script.
"""

from sqlmodel import select

from bot.delivery.intake import Arrival
from bot.models import InboundEvent, Person, Workspace
from bot.wiring.assembly import Assembly
from handlers.coffee.tables import CoffeeGroup
from handlers.mentoring.tables import MentorPair
from handlers.qa.tables import Question
from tests.handlers.conftest import Talk
from tests.handlers.qa.test_conversations import button_value, sent_to

ZED = 'user zed name="Zed Quill" tz=Europe/London dept=Engineering email=zed@example.com\n'


def mentor_profile(who: str, role: str, skills: str, goals: str, capacity: str = "") -> str:
    return (
        f"{who} in #general: /mentor\n"
        f'{who} submits mentor.profile role={role} skills="{skills}" goals="{goals}" '
        f"capacity={capacity}\n"
    )


async def forget_zed(talk: Talk, rapport: Assembly) -> str:
    async with rapport.db.session() as session:
        zed = (await session.exec(select(Person).where(Person.platform_user_id == "zed"))).one()
    await talk("zed in #general: /rapport forget-me")
    return await talk(f"zed clicks privacy.forget {zed.id}")


def no_trace(message: str) -> bool:
    return not any(word in message.lower() for word in ("zed", "quill", "former"))


async def test_a_mentees_erasure_ends_the_match_and_frees_the_mentor(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk(
        ZED
        + mentor_profile("ann", "mentor", "python", "", capacity="1")
        + mentor_profile("zed", "mentee", "", "python")
        + "ann in #general: /mentor round"
    )
    accept = button_value(out, "mentor.accept")
    await talk(f"ann clicks mentor.accept {accept}\nzed clicks mentor.accept {accept}")
    # ann's one place is taken: a second mentee waits.
    out = await talk(
        mentor_profile("fay", "mentee", "", "python") + "ann in #general: /mentor round"
    )
    assert "Still waiting for a suitable mentor: Fay Nguyen." in out

    out = await forget_zed(talk, rapport)
    (told,) = sent_to(out, "dm @ann")
    assert "One of your mentoring matches has ended" in told and no_trace(told)
    async with rapport.db.session() as session:
        (pair,) = (await session.exec(select(MentorPair))).all()
    assert pair.status == "ended"
    # No check-in about a match with someone who is gone.
    out = await talk("advance 15d")
    assert not [m for m in sent_to(out, "dm @ann") if "did you meet" in m.lower()]
    out = await talk("ann dm: /mentor me")
    assert "former colleague" not in out
    # ann's place is free again: fay is matched with her.
    out = await talk("ann in #general: /mentor round")
    assert "Mentoring round done: 1 new match." in out
    out = await talk("advance 8h")  # the introduction waits for fay's morning in Los Angeles
    assert "@ann (Ann Lee) will mentor @fay (Fay Nguyen)" in out


async def test_erasure_calls_off_a_pending_coffee_pairing(talk: Talk, rapport: Assembly) -> None:
    await talk(ZED + "zed in #general: /coffee join\nbob in #general: /coffee join")
    await talk("ann in #general: /coffee now")
    async with rapport.db.session() as session:
        assert len((await session.exec(select(CoffeeGroup))).all()) == 1
    out = await forget_zed(talk, rapport)
    (told,) = sent_to(out, "dm @bob")
    assert "Your coffee pairing this round is off" in told and no_trace(told)
    async with rapport.db.session() as session:
        assert (await session.exec(select(CoffeeGroup))).all() == []
    out = await talk("bob clicks coffee.met 1:yes")
    assert "That coffee pairing isn't yours, or no longer exists." in out


async def test_an_erased_expert_is_no_expert_and_their_answers_are_not_offered(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        ZED + "zed in #general: /expert add payroll\n"
        "ann in #general: /ask when is #payroll run this month?\n"
        "zed clicks qa.claim 1\n"
        "zed dm: /answer 1 Payroll runs on the 25th, or the Friday before.\n"
        "ann clicks qa.accept 1"
    )
    out = await talk("bob in #general: /expert list payroll")
    assert "Zed Quill" in out
    await forget_zed(talk, rapport)

    out = await talk("bob in #general: /expert list payroll")
    assert "Nobody has declared or earned #payroll yet" in out
    out = await talk("bob in #general: /ask when is #payroll run this month?")
    assert "Before I ask the experts" not in out and "(removed)" not in out
    assert "I found no available expert" in out


async def test_erasure_deletes_their_inbound_events_still_waiting(
    talk: Talk, rapport: Assembly
) -> None:
    """Stored before its ack and not handled yet, an event of theirs holds their words."""
    await talk(ZED)
    async with rapport.db.session() as session:
        zed = (await session.exec(select(Person).where(Person.platform_user_id == "zed"))).one()
        workspace = await session.get(Workspace, zed.workspace_id)
        assert workspace is not None
    for actor in ("zed", "ann"):
        arrival = Arrival(
            workspace.platform,
            f"waiting-{actor}",
            "event",
            {"text": f"kudos from {actor}"},
            workspace=workspace.external_id,
            actor=actor,
        )
        assert await rapport.runtime.intake.store(arrival) is not None
    await forget_zed(talk, rapport)
    async with rapport.runtime.intake.db.session() as session:
        waiting = (await session.exec(select(InboundEvent.event_id))).all()
    assert waiting == ["waiting-ann"]


async def test_a_question_the_erased_expert_claimed_opens_again_for_the_others(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        ZED + "zed in #general: /expert add payroll\n"
        "bob in #general: /expert add payroll\n"
        "ann in #general: /ask when is #payroll run this month?\n"
        "zed clicks qa.claim 1"
    )
    out = await forget_zed(talk, rapport)
    (asker_told,) = [m for m in sent_to(out, "dm @ann") if "#1" in m]
    assert "can no longer answer it. It is open again" in asker_told and no_trace(asker_told)
    (expert_told,) = [m for m in sent_to(out, "dm @bob") if "#1" in m]
    assert "Question #1 needs an answer again" in expert_told and no_trace(expert_told)
    async with rapport.db.session() as session:
        question = await session.get(Question, 1)
        assert question is not None and question.claimed_by_id is None
    out = await talk("bob clicks qa.claim 1")
    assert "Too late" not in out and "no longer needs an answer" not in out
    async with rapport.db.session() as session:
        question = await session.get(Question, 1)
        bob = (await session.exec(select(Person).where(Person.platform_user_id == "bob"))).one()
        assert question is not None and (question.status, question.claimed_by_id) == (
            "claimed",
            bob.id,
        )

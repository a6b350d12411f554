"""The home page: a person's kudos, questions, surveys and ideas, as neutral blocks sent to
their `home` destination (Slack shows it as the App Home tab)."""

from datetime import timedelta

from sqlmodel import select

from bot.contract.events import Actor, HomeOpened
from bot.contract.ui import Actions, Context, Header, Section
from bot.models import Person, Workspace
from bot.wiring.assembly import Assembly
from bot.wiring.config import Settings
from handlers.pulse.authoring import spec_from_yaml
from handlers.pulse.tables import PulseRespondent, PulseRun, PulseSurvey
from tests.handlers.conftest import Talk

SCRIPT = """\
bob in #general: /expert add payroll
ann in #general: /ask when is #payroll run this month?
bob clicks qa.claim 1
ann in #general: /kudos @bob thanks for the release demo #customer
bob in #general: /idea Quarterly hack day -- one day to build anything
"""


async def open_home(rapport: Assembly, handle: str, event_id: str) -> str:
    """What the person's home page shows, once the bot has sent it."""
    platform = rapport.shell.platform
    await rapport.bot.dispatch(
        HomeOpened(event_id=event_id, platform="local", workspace="demo", actor=Actor(id=handle))
    )
    await rapport.runtime.settle()
    [page] = [d for d in platform.sends if d.destination.kind == "home"][-1:]
    assert page.destination.user == handle
    assert platform.lines[-1].startswith(f"[home page of @{handle}]")
    lines = []
    for block in page.message.blocks:
        if isinstance(block, Header):
            lines.append(f"# {block.text}")
        elif isinstance(block, Actions):
            lines += [f"[{e.label}] {e.action_id}" for e in block.elements]
        elif isinstance(block, Section):
            lines.append(block.text)
        elif isinstance(block, Context):
            lines += block.texts
    return "\n".join(lines)


CHECK_IN = """title: Weekly check-in
audience: everyone
schedule: weekly on mon at 10:00
questions:
  - kind: scale
    prompt: How was your week?
  - kind: scale
    prompt: How was your workload?
  - kind: text
    prompt: Anything else?
"""


async def a_survey_half_answered(rapport: Assembly, handle: str) -> None:
    now = rapport.bot.clock.now()
    async with rapport.db.session() as session:
        workspace = (
            await session.exec(select(Workspace).where(Workspace.external_id == "demo"))
        ).one()
        person = (await session.exec(select(Person).where(Person.platform_user_id == handle))).one()
        assert workspace.id is not None and person.id is not None
        survey = PulseSurvey(
            workspace_id=workspace.id,
            title="Weekly check-in",
            spec=spec_from_yaml(CHECK_IN, Settings(_env_file=None))[0].model_dump(),
            created_at=now,
        )
        session.add(survey)
        await session.flush()
        assert survey.id is not None
        run = PulseRun(
            workspace_id=workspace.id,
            survey_id=survey.id,
            period="2027-W01",
            opened_at=now,
            closes_at=now + timedelta(days=5),
        )
        session.add(run)
        await session.flush()
        assert run.id is not None
        session.add(PulseRespondent(run_id=run.id, person_id=person.id, answered=[0]))


async def test_home_shows_what_is_waiting_on_each_person(talk: Talk, rapport: Assembly) -> None:
    await talk(SCRIPT)
    await a_survey_half_answered(rapport, "bob")

    bob = await open_home(rapport, "bob", "home-1")
    assert "Hello Bob Stone!" in bob
    assert "from Ann Lee: thanks for the release demo" in bob
    assert "you can give 5 more today" in bob
    assert "_You are answering_\n• #1 (claimed) when is #payroll run this month?" in bob
    assert "*⏳ Waiting on you*\n• 📋 Survey Weekly check-in: 1 of 3 answered, closes" in bob
    assert "• ❓ Question #1 waits for your answer: when is #payroll run this month?" in bob
    assert "_Yours_\n• #1 Quarterly hack day" in bob

    ann = await open_home(rapport, "ann", "home-2")
    assert "_You asked_\n• #1 (claimed) when is #payroll run this month?" in ann
    assert "to Bob Stone: thanks for the release demo" in ann
    assert "you can give 4 more today" in ann
    assert "*⏳ Waiting on you*\nNothing needs you right now." in ann
    assert "_Top ideas_\n• #1 Quarterly hack day — 0 votes" in ann


async def test_a_new_person_sees_friendly_empty_sections(rapport: Assembly) -> None:
    page = await open_home(rapport, "fay", "home-3")
    assert "Nothing received yet." in page
    assert "None open. Ask with `/ask your question`." in page
    assert "None yet. Share one with `/idea Title — details`." in page


async def test_the_page_frame_speaks_the_persons_language(talk: Talk, rapport: Assembly) -> None:
    await talk("ann in #general: /rapport settings language de")
    page = await open_home(rapport, "ann", "home-5")
    assert page.startswith("# Hallo Ann Lee!")
    assert "*⏳ Wartet auf dich*\nGerade wartet nichts auf dich." in page
    assert "Aktualisiert: 04.01.27, 09:00. `/rapport help` zeigt alles." in page


async def test_the_home_page_buttons_open_the_common_forms(talk: Talk, rapport: Assembly) -> None:
    page = await open_home(rapport, "ann", "home-4")
    assert page.startswith("# Hello Ann Lee!")
    for button in ("[🎉 Give kudos] kudos.start", "[❓ Ask a question] qa.start"):
        assert button in page
    assert "[💡 Post an idea] ideas.start" in page and "[⚙️ My settings] profile.settings" in page

    assert "[form for @ann] kudos.give" in await talk("ann clicks kudos.start")
    assert "[form for @ann] ideas.submit" in await talk("ann clicks ideas.start")
    assert "[form for @ann] profile.settings" in await talk("ann clicks profile.settings")
    assert "[form for @ann] qa.ask" in await talk("ann clicks qa.start")
    refused = await talk('ann submits qa.ask question="" anonymous=no')
    assert "[form errors for @ann] question:" in refused
    await talk("bob in #general: /expert add payroll")
    await talk("ann clicks qa.start")
    asked = await talk('ann submits qa.ask question="when is payroll run?" anonymous=no')
    assert "when is payroll run?" in asked
    bob = await open_home(rapport, "bob", "home-5")
    assert "Question #1 was sent to you, unclaimed: when is payroll run?" in bob

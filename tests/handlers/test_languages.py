"""Each person's language, as conversations, and where it is kept (read from the database).

Demo workspace: ann is admin, bob and eve members; nobody's platform has said a language.
"""

from sqlmodel import select

from bot.models import OutboxMessage, Person, Workspace
from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk


async def stored(rapport: Assembly, handle: str) -> Person:
    async with rapport.db.session() as session:
        found = await session.exec(select(Person).where(Person.platform_user_id == handle))
        return found.one()


async def outbox_texts(rapport: Assembly) -> dict[str, str]:
    """The text of each message written, by where it went (a DM by its person)."""
    async with rapport.db.session() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    return {
        row.destination.get("user") or row.destination.get("channel") or "": row.message["text"]
        for row in rows
    }


async def test_a_choice_is_kept_in_preferences_and_survives_the_settings_form(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("bob in #general: /rapport settings language es")
    assert "A partir de ahora te hablo en español." in out
    assert (await stored(rapport, "bob")).preferences["language"] == "es"

    # Saving the other settings keeps the language beside them.
    out = await talk(
        'bob submits profile.settings timezone="Europe/London en-GB" quiet=22:00-07:00'
    )
    assert "[form errors" not in out
    bob = await stored(rapport, "bob")
    assert bob.preferences["language"] == "es"
    assert bob.preferences["quiet_hours"] == {"start": "22:00:00", "end": "07:00:00"}

    out = await talk("bob in #general: /kudos leaderboard")
    assert "Quienes más kudos recibieron esta semana" in out


async def test_each_reader_gets_their_own_language_in_one_event(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "ann in #general: /rapport settings workspace-language de\n"
        "bob in #general: /rapport settings language fr\n"
        "eve in #general: /rapport settings language ja\n"
    )
    await talk("ann in #general: /rapport settings language en")
    await talk("ann in #general: /kudos @bob @eve thanks for the smooth release")
    written = await outbox_texts(rapport)
    assert written["kudos"].startswith("🎉 <@ann> hat <@bob> und <@eve> Kudos gegeben")
    assert written["bob"].startswith("Vous avez reçu des kudos de <@ann>")
    assert written["eve"].startswith("<@ann> さんから称賛が届きました")
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
    assert workspace.settings["language"] == "de"


async def test_auto_follows_the_platform_and_refusals_change_nothing(
    talk: Talk, rapport: Assembly
) -> None:
    await talk("user bob lang=de-AT\nbob in #general: /rapport settings language ja")
    assert (await stored(rapport, "bob")).preferences == {
        "platform_language": "de",
        "language": "ja",
    }
    out = await talk("bob in #general: /rapport settings language auto")
    assert "Ich folge wieder der Sprache deiner Plattform." in out
    out = await talk("bob in #general: /rapport settings language klingon")
    assert "Ich spreche `klingon` noch nicht." in out
    out = await talk("bob in #general: /rapport settings workspace-language fr")
    assert "Das dürfen nur Personen mit der Rolle Admin." in out
    assert (await stored(rapport, "bob")).preferences == {"platform_language": "de"}
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
    assert "language" not in workspace.settings

"""What the directory imports is in each person's export, goes with their erasure, is
cleared a while after they leave, and stops reaching them at once."""

import json
from datetime import timedelta

from sqlmodel import select

from bot.models import OutboxMessage, Person, Workspace
from bot.store.retention import enforce
from bot.wiring.assembly import Assembly
from handlers.people.csv_import import import_people
from handlers.people.scim.users import create, deactivate, read_user
from handlers.people.tables import ScimUser
from handlers.privacy.erasure import erase
from tests.handlers.conftest import Talk
from tests.handlers.test_privacy import attachment, leftovers

HR = "user,email,department,location\nbob,bob@example.com,Platform,Lisbon\n"


async def _provision(rapport: Assembly, email: str) -> Person:
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        now = rapport.bot.clock.now()
        await import_people(session, workspace, HR, now)
        person, _ = await create(session, workspace, read_user({"userName": email}), now)
        return person


async def _bob(rapport: Assembly) -> Person:
    async with rapport.db.session() as session:
        return (await session.exec(select(Person).where(Person.platform_user_id == "bob"))).one()


async def test_the_export_holds_the_directory_record(rapport: Assembly, talk: Talk) -> None:
    await _provision(rapport, "bob@example.com")
    await talk("bob dm: /rapport my-data")
    _, data = attachment(rapport, "bob", "rapport-my-data-")
    export = json.loads(data)
    assert export["profile"]["location"] == "Lisbon"
    assert export["profile"]["sources"]["department"] == "hr"
    assert (
        export["data"]["your account at your identity provider (SCIM)"][0]["user_name"]
        == "bob@example.com"
    )


async def test_erasure_removes_the_scim_user(rapport: Assembly) -> None:
    bob = await _provision(rapport, "bob@example.com")
    async with rapport.db.session() as session:
        person = await session.get(Person, bob.id)
        assert person is not None
        contributions = [feature.personal_data for feature in rapport.bot.router.features]
        await erase(session, person, rapport.bot.clock.now(), contributions)
    async with rapport.db.session() as session:
        assert (await session.exec(select(ScimUser))).all() == []
        assert (
            await session.exec(select(Person).where(Person.email == "bob@example.com"))
        ).all() == []


async def test_someone_who_left_gets_nothing_and_is_cleared_later(
    rapport: Assembly, talk: Talk
) -> None:
    await _provision(rapport, "bob@example.com")
    async with rapport.db.session() as session:
        person = await session.get(Person, (await _bob(rapport)).id)
        account = (await session.exec(select(ScimUser))).one()
        assert person is not None
        await deactivate(session, person, account, rapport.bot.clock.now())
    out = await talk("ann in #general: /kudos @bob thanks for the release notes")
    assert "Bob Stone is no longer here: nothing was sent." in out
    async with rapport.db.session() as session:
        sent = (await session.exec(select(OutboxMessage.destination))).all()
    assert not any(destination.get("user") == "bob" for destination in sent)
    bob = await _bob(rapport)
    assert bob.left_on == rapport.bot.clock.now().date()
    later = rapport.bot.clock.now() + timedelta(days=181)
    removed = await enforce(rapport.db, rapport.bot.settings, later)
    assert removed["departed_people"] == 1
    bob = await _bob(rapport)
    assert (bob.email, bob.location, bob.department) == (None, None, "Platform")


async def test_erasure_leaves_nothing_the_directory_was_given(
    rapport: Assembly, talk: Talk
) -> None:
    """Read every table after erasure: no imported or provisioned value of theirs is left,
    and nobody reports to them any more."""
    given = ["bob@example.com", "Robert Imported", "Lisbon Office 7", "okta-00u1bob"]
    hr = (
        "user,name,email,department,manager,location,timezone\n"
        "bob,Robert Imported,bob@example.com,Platform,ann,Lisbon Office 7,Europe/Lisbon\n"
        "eve,,,Platform,bob,,\n"
    )
    async with rapport.db.session() as session:
        workspace = (await session.exec(select(Workspace))).one()
        now = rapport.bot.clock.now()
        await import_people(session, workspace, hr, now)
        user = read_user({"userName": "bob@example.com", "externalId": "okta-00u1bob"})
        await create(session, workspace, user, now)
    bob = await _bob(rapport)
    assert bob.id is not None
    before = await leftovers(rapport, bob.id, given)
    assert {place.split(" ")[0].rstrip(":") for place in before} >= {
        "person.email",
        "person.display_name",
        "person.location",
        "person.manager_id",
        "scim_user.external_id",
    }

    await talk("bob dm: /rapport forget-me")
    out = await talk(f"bob clicks privacy.forget {bob.id}")
    assert "everything Rapport held about you is erased" in out
    await rapport.runtime.settle()

    assert await leftovers(rapport, bob.id, given) == []

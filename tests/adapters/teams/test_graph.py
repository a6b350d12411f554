"""Teams with Microsoft Graph: departments, offices and managers of the people within the
bot's reach, read page by page (429s waited out) from a local Graph when a team's roster is
read, as the platform source, and audited."""

import logging
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from adapters.teams import graph_schedule
from adapters.teams.graph import SELECT
from bot.models import AuditEntry, Schedule, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import assemble
from bot.wiring.config import Settings
from bot.wiring.features import build_router
from bot.wiring.web import make_web_app
from handlers.people.csv_import import import_people
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld, teams_settings
from tests.adapters.teams.fake_connector import FakeConnector
from tests.adapters.teams.fake_graph import CLIENT, SECRET, FakeGraph
from tests.adapters.teams.test_roster import CAT, people

DAN = {"id": "29:1dan-teams-id", "name": "Dan Orr", "aadObjectId": "aad-dan-0004"}


def graph_user(aad: str, mail: str, department: str, office: str, **more: object) -> dict:
    return {
        "id": aad,
        "mail": mail,
        "userPrincipalName": mail,
        "department": department,
        "officeLocation": office,
        "jobTitle": "Chief Unicorn Officer",
        "accountEnabled": True,
        **more,
    }


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph(
        users=[
            graph_user("aad-ann-0001", "ann@contoso.test", "Leadership", "Paris"),
            graph_user("aad-bob-0002", "bob@contoso.test", "Platform", "Lisbon"),
            graph_user("aad-cat-0003", "cat.kim@contoso.test", "Platform", "London"),
            # Not on any roster of the app: not the bot's to read.
            graph_user("aad-dan-0004", "dan@contoso.test", "Sales", "Berlin"),
            graph_user("aad-zed-0009", "zed@contoso.test", "Sales", "Oslo"),
        ],
        managers={"aad-bob-0002": "aad-ann-0001", "aad-cat-0003": "aad-bob-0002"},
    )
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def world(
    db: Database,
    settings: Settings,
    clock: VirtualClock,
    connector: FakeConnector,
    graph: FakeGraph,
) -> AsyncIterator[TeamsWorld]:
    wired = teams_settings(
        settings,
        graph_client_id=CLIENT,
        graph_client_secret=SECRET,
        graph_base_url=f"{graph.url}/v1.0",
        graph_login_url=graph.url,
    )
    rapport = await assemble(wired, build_router(), clock, None, db=db)
    http = TestClient(TestServer(make_web_app(rapport.bot, teams=rapport.teams), host="127.0.0.1"))
    await http.start_server()
    yield TeamsWorld(rapport, connector, http)
    await http.close()
    await rapport.close()


async def install(world: TeamsWorld) -> list[float]:
    """Add the app to the team; the Graph waits it asked for."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    world.adapter.graph.sleep = sleep
    world.connector.members[P.TEAM] = [P.ANN, P.BOT, P.BOB, CAT]
    assert (await world.post(P.team_install(world.url, P.ANN))).status == 202
    return waits


async def test_graph_gives_departments_offices_and_the_reporting_line(
    world: TeamsWorld, graph: FakeGraph
) -> None:
    graph.throttled = {2}  # the second page of users

    waits = await install(world)

    assert waits == [7.0]
    pages = [path for path in graph.gets() if "/users?" in path]
    assert len(pages) == 4 and pages[1] == pages[2]  # the throttled page again, not page one
    assert "jobTitle" not in pages[0]  # nobody uses job titles: not even read
    found = await people(world)
    ann, bob, cat = found[P.ANN["id"]], found[P.BOB["id"]], found[CAT["id"]]
    assert (ann.department, ann.location, ann.manager_id) == ("Leadership", "Paris", None)
    assert (bob.department, bob.location, bob.manager_id) == ("Platform", "Lisbon", ann.id)
    assert (cat.department, cat.manager_id) == ("Platform", bob.id)
    assert cat.sources["department"] == cat.sources["manager"] == "platform"
    assert DAN["id"] not in found
    async with world.rapport.db.session() as session:
        audit = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "people.graph_sync"))
        ).one()
    assert (audit.detail["read"], audit.detail["updated"]) == (3, 3)


async def test_hr_data_wins_over_graph_and_a_disabled_account_has_left(
    world: TeamsWorld, graph: FakeGraph
) -> None:
    graph.users[2]["accountEnabled"] = False
    world.connector.members[P.TEAM] = [P.ANN, P.BOT, P.BOB, CAT]
    assert (await world.post(P.team_install(world.url, P.ANN))).status == 202
    async with world.rapport.db.session() as session:
        workspace = (
            await session.exec(select(Workspace).where(Workspace.platform == "teams"))
        ).one()
        hr = f"user,department\n{P.BOB['id']},Finance\n"
        await import_people(session, workspace, hr, world.rapport.bot.clock.now())

    await world.adapter.read_graph(P.TENANT)

    found = await people(world)
    assert found[P.BOB["id"]].department == "Finance"
    assert found[P.BOB["id"]].location == "Lisbon"
    assert not found[CAT["id"]].active


async def test_a_refused_secret_leaves_the_directory_as_it_was(
    world: TeamsWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world.adapter.graph.secret = "not-the-secret"
    with caplog.at_level(logging.WARNING):
        await install(world)
    found = await people(world)
    assert found[P.BOB["id"]].department is None
    assert "microsoft graph not read" in caplog.text and "invalid_client" in caplog.text
    assert "not-the-secret" not in caplog.text


async def test_without_credentials_graph_is_not_asked(teams: TeamsWorld, graph: FakeGraph) -> None:
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    assert graph.calls == []


async def test_people_of_other_teams_are_not_read(world: TeamsWorld, graph: FakeGraph) -> None:
    await install(world)
    managers = [path for path in graph.gets() if path.endswith("/manager?$select=id")]
    assert sorted(managers) == sorted(
        f"/v1.0/users/{aad}/manager?$select=id"
        for aad in ("aad-ann-0001", "aad-bob-0002", "aad-cat-0003")
    )


async def test_a_manager_graph_no_longer_has_is_cleared_unless_hr_set_it(
    world: TeamsWorld, graph: FakeGraph
) -> None:
    await install(world)
    async with world.rapport.db.session() as session:
        workspace = (
            await session.exec(select(Workspace).where(Workspace.platform == "teams"))
        ).one()
        hr = f"user,manager\n{CAT['id']},{P.BOB['id']}\n"
        await import_people(session, workspace, hr, world.rapport.bot.clock.now())
    graph.managers.clear()

    await world.adapter.read_graph(P.TENANT)

    found = await people(world)
    assert found[P.BOB["id"]].manager_id is None  # Graph's word, over Graph's earlier one
    assert found[P.BOB["id"]].sources["manager"] == "platform"
    assert found[CAT["id"]].manager_id == found[P.BOB["id"]].id  # the HR file's stays


async def test_someone_added_to_the_team_is_read_alone(world: TeamsWorld, graph: FakeGraph) -> None:
    await install(world)
    graph.calls.clear()
    added = P.team_install(world.url, P.ANN)
    added["membersAdded"] = [DAN]

    assert (await world.post(added)).status == 202

    assert graph.gets() == [
        "/v1.0/users/aad-dan-0004?$select=" + SELECT,
        "/v1.0/users/aad-dan-0004/manager?$select=id",
    ]
    dan = (await people(world))[DAN["id"]]
    assert (dan.department, dan.location, dan.manager_id) == ("Sales", "Berlin", None)


async def test_a_department_emptied_in_graph_is_cleared_unless_hr_set_it(
    world: TeamsWorld, graph: FakeGraph
) -> None:
    await install(world)
    async with world.rapport.db.session() as session:
        workspace = (
            await session.exec(select(Workspace).where(Workspace.platform == "teams"))
        ).one()
        hr = f"user,department\n{CAT['id']},Platform\n"
        await import_people(session, workspace, hr, world.rapport.bot.clock.now())
    graph.users[1]["department"] = ""  # Bob's, emptied in Entra ID
    del graph.users[1]["officeLocation"]  # and his office removed
    graph.users[2]["department"] = None  # Cat's, but the HR file gave it

    await world.adapter.read_graph(P.TENANT)

    found = await people(world)
    bob, cat = found[P.BOB["id"]], found[CAT["id"]]
    assert (bob.department, bob.location) == (None, None)
    assert bob.sources["department"] == bob.sources["location"] == "platform"
    assert found[P.ANN["id"]].department == "Leadership"
    assert (cat.department, cat.sources["department"]) == ("Platform", "hr")


async def test_graph_is_read_again_on_schedule_with_its_delta_query(
    world: TeamsWorld, graph: FakeGraph
) -> None:
    await install(world)
    async with world.rapport.db.session() as session:
        schedule = (
            await session.exec(select(Schedule).where(Schedule.kind == graph_schedule.KIND))
        ).one()
    assert schedule.trigger["hours"] == 6
    graph.users[1]["department"] = "Sales"  # Bob moves
    graph.users[3]["department"] = "Support"  # Dan, whom the bot cannot reach
    graph.calls.clear()

    await world.rapport.runtime.advance(timedelta(hours=6))

    first = graph.gets()
    assert first[0] == f"/v1.0/users/delta?$select={SELECT},manager"
    assert not [path for path in first if "/manager" in path.split("?")[0]]
    found = await people(world)
    assert found[P.BOB["id"]].department == "Sales"
    assert found[P.BOB["id"]].manager_id == found[P.ANN["id"]].id
    assert DAN["id"] not in found

    graph.users[1]["department"] = None  # emptied
    graph.users[2]["officeLocation"] = "Leeds"
    graph.managers["aad-cat-0003"] = "aad-ann-0001"
    del graph.managers["aad-bob-0002"]
    graph.calls.clear()

    await world.rapport.runtime.advance(timedelta(hours=6))

    assert graph.gets()[0] == "/v1.0/users/delta?$deltatoken=0"
    found = await people(world)
    bob, cat = found[P.BOB["id"]], found[CAT["id"]]
    assert (bob.department, bob.manager_id, bob.location) == (None, None, "Lisbon")
    assert (cat.department, cat.location, cat.manager_id) == (
        "Platform",
        "Leeds",
        found[P.ANN["id"]].id,
    )
    async with world.rapport.db.session() as session:
        audits = (
            await session.exec(select(AuditEntry).where(AuditEntry.action == "people.graph_sync"))
        ).all()
    assert [(a.detail["delta"], a.detail["read"]) for a in audits] == [
        (False, 3),
        (True, 3),
        (True, 2),
    ]


async def test_a_delta_graph_no_longer_knows_starts_a_new_round(
    world: TeamsWorld, graph: FakeGraph
) -> None:
    await install(world)
    await world.rapport.runtime.advance(timedelta(hours=6))
    graph.expired.add("0")
    graph.users[0]["accountEnabled"] = False  # Ann leaves
    graph.calls.clear()

    await world.rapport.runtime.advance(timedelta(hours=6))

    assert graph.gets()[:2] == [
        "/v1.0/users/delta?$deltatoken=0",
        f"/v1.0/users/delta?$select={SELECT},manager",
    ]
    assert not (await people(world))[P.ANN["id"]].active

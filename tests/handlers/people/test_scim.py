"""SCIM as identity providers use it: bearer token, filters, Entra ID and Okta PATCHes,
one record per person, deactivation, and SCIM errors."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot.models import AuditEntry, Person
from bot.wiring.assembly import Assembly
from bot.wiring.web import make_web_app
from handlers.people.scim.schemas import ENTERPRISE, ERROR, PATCH, USER
from handlers.people.settings import SECTION as PEOPLE
from tests.handlers.conftest import Talk

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
Client = TestClient[Any, Any]


async def _client(rapport: Assembly) -> Client:
    client: Client = TestClient(TestServer(make_web_app(rapport.bot), host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def scim(rapport: Assembly) -> AsyncIterator[Client]:
    rapport.bot.settings = rapport.bot.settings.with_section(PEOPLE, scim_token=TOKEN)
    client = await _client(rapport)
    yield client
    await client.close()


def _user(user_name: str, **more: Any) -> dict[str, Any]:
    return {"schemas": [USER, ENTERPRISE], "userName": user_name, "active": True, **more}


async def _created(scim: Client, body: dict[str, Any]) -> dict[str, Any]:
    response = await scim.post("/scim/v2/Users", json=body, headers=AUTH)
    assert response.status == 201, await response.text()
    assert response.headers["Location"].endswith(f"/scim/v2/Users/{(await response.json())['id']}")
    return dict(await response.json())


async def _patch(scim: Client, user_id: str, *operations: dict[str, Any]) -> dict[str, Any]:
    body = {"schemas": [PATCH], "Operations": list(operations)}
    response = await scim.patch(f"/scim/v2/Users/{user_id}", json=body, headers=AUTH)
    assert response.status == 200, await response.text()
    return dict(await response.json())


async def _person(rapport: Assembly, user_id: str) -> Person:
    async with rapport.db.session() as session:
        found = await session.get(Person, int(user_id))
        assert found is not None
        return found


async def test_without_a_token_setting_there_is_no_scim(rapport: Assembly) -> None:
    client = await _client(rapport)
    try:
        response = await client.get("/scim/v2/Users", headers=AUTH)
        assert response.status == 404
    finally:
        await client.close()


async def test_a_wrong_token_is_refused_with_a_scim_error(scim: Client) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": TOKEN}):
        response = await scim.get("/scim/v2/Users", headers=headers)
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.content_type == "application/scim+json"
        assert (await response.json())["schemas"] == [ERROR]


async def test_a_user_for_someone_known_links_to_their_record(
    rapport: Assembly, scim: Client, talk: Talk
) -> None:
    await talk("user bob email=Bob@Example.com dept=Engineering")
    created = await _created(
        scim,
        _user(
            "bob@example.com",
            externalId="00u1",
            displayName="Robert Stone",
            emails=[{"value": "bob@example.com", "type": "work", "primary": True}],
            **{ENTERPRISE: {"department": "Platform"}},
        ),
    )
    bob = await _person(rapport, created["id"])
    assert bob.platform_user_id == "bob"
    assert (bob.display_name, bob.department) == ("Robert Stone", "Platform")
    assert bob.sources["department"] == "scim"
    # The platform profile no longer changes what SCIM set.
    await talk("user bob dept=Sales name=Bobby")
    bob = await _person(rapport, created["id"])
    assert (bob.display_name, bob.department) == ("Robert Stone", "Platform")
    again = await scim.post("/scim/v2/Users", json=_user("BOB@example.com"), headers=AUTH)
    assert again.status == 409
    assert (await again.json())["scimType"] == "uniqueness"


async def test_filters_find_users_by_user_name_email_and_external_id(scim: Client) -> None:
    ann = await _created(scim, _user("ann@example.com", externalId="A-1"))
    await _created(scim, _user("gil@example.com", externalId="G-1"))
    for query in (
        'userName eq "ANN@example.com"',
        'emails.value eq "ann@example.com"',
        'externalId eq "A-1"',
        'userName sw "ann" and not (externalId eq "G-1")',
    ):
        response = await scim.get("/scim/v2/Users", params={"filter": query}, headers=AUTH)
        listed = await response.json()
        assert listed["totalResults"] == 1, query
        assert listed["Resources"][0]["id"] == ann["id"]
    response = await scim.get(
        "/scim/v2/Users", params={"filter": 'externalId eq "a-1"'}, headers=AUTH
    )
    assert (await response.json())["totalResults"] == 0
    response = await scim.get("/scim/v2/Users", params={"filter": "userName eq"}, headers=AUTH)
    assert response.status == 400
    assert (await response.json())["scimType"] == "invalidFilter"
    response = await scim.get(
        "/scim/v2/Users", params={"startIndex": "2", "count": "1"}, headers=AUTH
    )
    page = await response.json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (2, 2, 1)


async def test_entra_and_okta_patches(rapport: Assembly, scim: Client) -> None:
    boss = await _created(scim, _user("cara@example.com"))
    gil = await _created(scim, _user("gil@example.com"))
    # Entra ID: capitalised ops, a filtered e-mail path, a plain-string manager id.
    changed = await _patch(
        scim,
        gil["id"],
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "gil@corp.example"},
        {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss["id"]},
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Finance"},
    )
    assert changed["emails"] == [{"value": "gil@corp.example"}]
    assert changed[ENTERPRISE]["manager"]["value"] == boss["id"]
    person = await _person(rapport, gil["id"])
    assert (person.email, person.department, person.manager_id) == (
        "gil@corp.example",
        "Finance",
        int(boss["id"]),
    )
    await _patch(scim, gil["id"], {"op": "Remove", "path": f"{ENTERPRISE}:manager"})
    assert (await _person(rapport, gil["id"])).manager_id is None
    # Entra ID sends booleans as strings; Okta sends an object without a path.
    await _patch(scim, gil["id"], {"op": "Replace", "path": "active", "value": "False"})
    assert not (await _person(rapport, gil["id"])).active
    await _patch(scim, gil["id"], {"op": "replace", "value": {"active": True}})
    assert (await _person(rapport, gil["id"])).active
    bad = await scim.patch(
        f"/scim/v2/Users/{gil['id']}",
        json={"schemas": [PATCH], "Operations": [{"op": "move", "path": "active"}]},
        headers=AUTH,
    )
    assert bad.status == 400


async def test_a_manager_must_be_a_user_here(scim: Client) -> None:
    gil = await _created(scim, _user("gil@example.com"))
    for manager in ("999999", gil["id"]):
        body = _user("gil@example.com", **{ENTERPRISE: {"manager": {"value": manager}}})
        response = await scim.put(f"/scim/v2/Users/{gil['id']}", json=body, headers=AUTH)
        assert response.status == 400
        assert (await response.json())["scimType"] == "invalidValue"


async def test_deleting_a_user_deactivates_the_person(
    rapport: Assembly, scim: Client, talk: Talk
) -> None:
    await talk("user eve email=eve@example.com")
    eve = await _created(scim, _user("eve@example.com"))
    response = await scim.delete(f"/scim/v2/Users/{eve['id']}", headers=AUTH)
    assert response.status == 204
    response = await scim.get(f"/scim/v2/Users/{eve['id']}", headers=AUTH)
    assert response.status == 404
    assert (await response.json())["schemas"] == [ERROR]
    person = await _person(rapport, eve["id"])
    assert not person.active and person.platform_user_id == "eve"
    out = await talk("ann dm: /rapport people show @eve")
    assert "*Eve Martin* (deactivated)" in out and "deactivated — from SCIM" in out
    async with rapport.db.session() as session:
        actions = (await session.exec(select(AuditEntry.action))).all()
    assert {"scim.create", "scim.delete"} <= set(actions)


async def test_errors_and_schemas_speak_the_workspaces_language(scim: Client, talk: Talk) -> None:
    await talk("ann in #general: /rapport settings workspace-language fr")
    await _created(scim, _user("gil@example.com"))

    taken = await scim.post("/scim/v2/Users", json=_user("gil@example.com"), headers=AUTH)

    body = await taken.json()
    assert (taken.status, body["scimType"]) == (409, "uniqueness")
    assert body["detail"] == "userName gil@example.com est déjà pris"
    found = await (await scim.get(f"/scim/v2/Schemas/{USER}", headers=AUTH)).json()
    user_name = next(a for a in found["attributes"] if a["name"] == "userName")
    assert user_name["description"].startswith("Identifiant unique de l'utilisateur")

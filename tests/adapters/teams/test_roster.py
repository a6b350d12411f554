"""Teams: a team's roster joins the people directory when the app is added to the team, and
people added later join it too, against the local Bot Connector."""

from sqlmodel import select

from bot.models import Person, Workspace
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld

CAT = {
    "id": "29:1cat-teams-id",
    "name": "Cat Kim",
    "aadObjectId": "aad-cat-0003",
    "email": "Cat.Kim@contoso.test",
    "userPrincipalName": "cat.kim@contoso.test",
}
DAN = {"id": "29:1dan-teams-id", "name": "Dan Orr", "aadObjectId": "aad-dan-0004"}


async def people(teams: TeamsWorld) -> dict[str, Person]:
    async with teams.rapport.db.session() as session:
        found = await session.exec(
            select(Person).join(Workspace).where(Workspace.platform == "teams")
        )
        return {p.platform_user_id: p for p in found.all()}


async def test_the_team_roster_is_read_when_the_app_is_added(teams: TeamsWorld) -> None:
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, P.BOB, CAT]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    found = await people(teams)
    assert {P.ANN["id"], P.BOB["id"], CAT["id"]} <= set(found)
    assert P.BOT["id"] not in found
    cat = found[CAT["id"]]
    assert (cat.display_name, cat.email) == ("Cat Kim", "cat.kim@contoso.test")
    assert cat.sources["email"] == "platform"
    # The people picker finds her although she never wrote to the bot.
    assert await teams.adapter.platform.lookup_person(P.TENANT, CAT["id"]) is not None


async def test_someone_added_to_a_team_joins_the_directory(teams: TeamsWorld) -> None:
    teams.connector.members[P.TEAM] = [P.ANN]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    added = P.team_install(teams.url, P.ANN)
    added["membersAdded"] = [DAN]
    assert (await teams.post(added)).status == 202
    assert (await people(teams))[DAN["id"]].display_name == "Dan Orr"

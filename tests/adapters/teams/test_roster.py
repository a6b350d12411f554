"""Teams: a team's roster joins the people directory when the app is added to the team, people
added later join it too, and people removed leave the team's roster (and, out of the bot's
reach, the directory), against the local Bot Connector."""

from sqlmodel import select

from adapters.teams.tables import TeamsTeamMember
from bot.models import Person, Workspace
from handlers.privacy.erasure import erase
from tests.adapters.teams import payloads as P
from tests.adapters.teams.conftest import TeamsWorld
from tests.adapters.teams.test_forms import submit_action
from tests.adapters.teams.test_kudos import card_of, card_text

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


async def on_roster(teams: TeamsWorld) -> set[str]:
    async with teams.rapport.db.session() as session:
        return set((await session.exec(select(TeamsTeamMember.user_id))).all())


def removed(teams: TeamsWorld, *accounts: dict[str, str]) -> dict[str, object]:
    event = P.team_install(teams.url, P.ANN)
    event["channelData"]["eventType"] = "teamMemberRemoved"
    event.pop("membersAdded")
    event["membersRemoved"] = list(accounts)
    return event


async def test_someone_removed_from_the_team_leaves_its_roster_and_the_directory(
    teams: TeamsWorld,
) -> None:
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, P.BOB, CAT, DAN]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    # Bob has a personal chat with the bot: he stays within its reach without the team.
    assert (await teams.post(P.personal_install(teams.url, P.BOB, P.BOB_CHAT))).status == 202
    assert await on_roster(teams) == {P.ANN["id"], P.BOB["id"], CAT["id"], DAN["id"]}

    assert (await teams.post(removed(teams, CAT, P.BOB))).status == 202

    assert await on_roster(teams) == {P.ANN["id"], DAN["id"]}
    found = await people(teams)
    assert not found[CAT["id"]].active and found[CAT["id"]].left_on is not None
    assert found[P.BOB["id"]].active and found[DAN["id"]].active

    back = P.team_install(teams.url, P.ANN)
    back["membersAdded"] = [CAT]
    assert (await teams.post(back)).status == 202
    assert (await people(teams))[CAT["id"]].active


async def test_reading_the_roster_again_drops_who_is_no_longer_on_it(teams: TeamsWorld) -> None:
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, CAT, DAN]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, DAN]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    assert await on_roster(teams) == {P.ANN["id"], DAN["id"]}
    assert not (await people(teams))[CAT["id"]].active


async def test_the_app_removed_from_a_team_takes_its_roster_with_it(teams: TeamsWorld) -> None:
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, CAT]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    assert (await teams.post(P.personal_install(teams.url, P.ANN, P.ANN_CHAT))).status == 202

    assert (await teams.post(removed(teams, P.BOT))).status == 202

    assert await on_roster(teams) == set()
    found = await people(teams)
    assert found[P.ANN["id"]].active and not found[CAT["id"]].active


async def test_the_people_picker_finds_a_colleague_known_only_from_the_roster(
    teams: TeamsWorld,
) -> None:
    """Picking someone who never wrote to the bot used to answer "I couldn't find
    aad-… in this workspace"; the team's roster makes them known."""
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, CAT]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    assert (await teams.post(P.personal_install(teams.url, P.ANN, P.ANN_CHAT))).status == 202
    opened = await teams.post(P.personal_message(teams.url, P.ANN, P.ANN_CHAT, "kudos"))
    assert opened.status == 202
    submit = submit_action(card_of(teams.connector.sent(P.ANN_CHAT)[-1]))
    picked = {**submit["data"], "to": CAT["aadObjectId"], "reason": "ran the whole offsite"}
    response = await teams.post(
        P.card_action(teams.url, P.ANN, submit["verb"], picked, reply_to="act-1", chat=P.ANN_CHAT)
    )
    answer = await response.json()
    assert "Kudos sent to <at>Cat Kim</at>" in card_text(answer["value"])


async def test_erasure_takes_them_off_every_roster(teams: TeamsWorld) -> None:
    teams.connector.members[P.TEAM] = [P.ANN, P.BOT, CAT]
    assert (await teams.post(P.team_install(teams.url, P.ANN))).status == 202
    async with teams.rapport.db.session() as session:
        cat = (await session.exec(select(Person).where(Person.platform_user_id == CAT["id"]))).one()
        contributions = [feature.personal_data for feature in teams.rapport.bot.router.features]
        await erase(session, cat, teams.rapport.bot.clock.now(), contributions)
    assert await on_roster(teams) == {P.ANN["id"]}

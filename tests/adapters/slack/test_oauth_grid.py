"""Enterprise Grid installs: an org-wide install serves every team of the org with the org's
one token, each team its own workspace; a team-level install inside an org works as any
other; uninstalling the org-wide install leaves every team of the org unknown."""

from collections.abc import AsyncIterator

import pytest

from adapters.slack.clients import NotInstalled, SlackClients
from bot.contract.ui import Destination, Message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from tests.adapters.slack.conftest import KUDOS, SlackWorld
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_home import home_opened
from tests.adapters.slack.test_oauth import assert_unknown, install, oauth_world
from tests.conftest import scalar

ORG, NORTH, SOUTH, EAST = "E0ACME", "T0NORTH", "T0SOUTH", "T0EAST"
ORG_TOKEN, EAST_TOKEN = "xoxb-e0acme", "xoxb-t0east"


@pytest.fixture
async def grid(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackWorld]:
    """Org Acme: its admin U0ORA (of team North) can install org-wide; team East can install
    on its own (U0EAS); U0NOR works in North and U0SOU in South."""
    fake_slack.user("U0ORA", "ora", team_id=NORTH)
    fake_slack.user("U0NOR", "nor", team_id=NORTH)
    fake_slack.user("U0SOU", "sou", team_id=SOUTH)
    fake_slack.user("U0EAS", "eas", team_id=EAST)
    fake_slack.org_grants["code-org"] = (ORG, "Acme", "U0ORA")
    fake_slack.grants["code-east"] = (EAST, "East", "U0EAS")
    fake_slack.grid[EAST] = ORG
    async with oauth_world(db, settings, clock, fake_slack) as world:
        yield world


async def greet(world: SlackWorld, team: str, user: str, *, org_wide: bool = True) -> None:
    """`user` opens the bot's Home in `team` of the org."""
    await world.event(home_opened(user), team=team, org=ORG, org_wide=org_wide)


def published(world: SlackWorld) -> dict[str, str]:
    """Who was shown the Home tab, with which token."""
    return {c.args["user_id"]: c.token for c in world.fake.calls if c.method == "views.publish"}


async def serve_north_and_south(world: SlackWorld) -> None:
    """The org-wide install, then an event from North and one from South (linking each)."""
    assert "Thank you!" in await install(world, "code-org")
    await greet(world, NORTH, "U0NOR")
    await greet(world, SOUTH, "U0SOU")
    await world.settled(2)


async def send(world: SlackWorld, db: Database, team: str, to: Destination) -> None:
    """A message through the outbox of workspace `team`, sent out."""
    now = world.rapport.bot.clock.now()
    async with db.session() as session:
        workspace = await ensure_workspace(session, "slack", team, "", now)
        OutboxWriter(session, workspace, f"hello-{team}", now).add(
            to, Message(text=f"hello {team}")
        )
    await world.rapport.runtime.settle()


async def test_an_org_wide_install_serves_each_team_as_its_own_workspace(
    grid: SlackWorld, db: Database
) -> None:
    assert "Thank you!" in await install(grid, "code-org")
    # One row for the whole org, named after it, with no team of its own.
    assert await scalar(db, "SELECT count(*) FROM installation") == 1
    org_row = "SELECT name FROM installation WHERE enterprise_id = '{}' AND external_id = ''"
    assert await scalar(db, org_row.format(ORG)) == "Acme"
    roles = (
        "SELECT p.roles FROM person p JOIN workspace w ON w.id = p.workspace_id "
        f"WHERE w.external_id = '{NORTH}' AND p.platform_user_id = 'U0ORA'"
    )
    assert "admin" in str(await scalar(db, roles))

    await greet(grid, NORTH, "U0NOR")
    await greet(grid, SOUTH, "U0SOU")
    await grid.settled(2)

    assert published(grid) == {"U0NOR": ORG_TOKEN, "U0SOU": ORG_TOKEN}
    people = (
        "SELECT w.external_id FROM person p JOIN workspace w ON w.id = p.workspace_id "
        "WHERE p.platform_user_id = '{}'"
    )
    assert await scalar(db, people.format("U0NOR")) == NORTH
    assert await scalar(db, people.format("U0SOU")) == SOUTH

    # The outbox of each team sends with the org's token, found again from the database.
    grid.adapter.clients._tokens.clear()
    grid.adapter.clients._orgs.clear()
    await send(grid, db, NORTH, Destination(kind="dm", user="U0NOR"))
    # A channel named in a setting: the org's token names the workspace to list channels in.
    await send(grid, db, SOUTH, Destination(kind="channel", channel="kudos"))
    sent = {c.args["channel"]: c.token for c in grid.fake.calls if c.method == "chat.postMessage"}
    assert sent == {"DU0NOR": ORG_TOKEN, KUDOS: ORG_TOKEN}
    [listed] = grid.fake.ok("conversations.list")
    assert listed["team_id"] == SOUTH
    sent_ok = "SELECT count(*) FROM outbox_message WHERE key LIKE 'hello-%' AND status = 'sent'"
    assert await scalar(db, sent_ok) == 2


async def test_another_replica_finds_the_org_token_for_a_team(
    grid: SlackWorld, db: Database
) -> None:
    assert "Thank you!" in await install(grid, "code-org")
    await greet(grid, SOUTH, "U0SOU")
    await grid.settled(1)

    replica = SlackClients(grid.adapter.http, grid.fake.api_url, db=db)
    assert (await replica.for_team(SOUTH)).token == ORG_TOKEN


async def test_a_team_level_install_inside_an_org_keeps_its_own_token(
    grid: SlackWorld, db: Database
) -> None:
    assert "Thank you!" in await install(grid, "code-east")
    assert "Thank you!" in await install(grid, "code-org")
    rows = f"SELECT count(*) FROM installation WHERE enterprise_id = '{ORG}'"
    assert await scalar(db, rows) == 2
    east = f"SELECT bot_token FROM installation WHERE external_id = '{EAST}'"
    assert await scalar(db, east) == EAST_TOKEN
    assert await scalar(db, f"SELECT name FROM workspace WHERE external_id = '{EAST}'") == "East"

    await greet(grid, EAST, "U0EAS", org_wide=False)
    await greet(grid, NORTH, "U0NOR")
    await grid.settled(2)

    assert published(grid) == {"U0EAS": EAST_TOKEN, "U0NOR": ORG_TOKEN}
    assert (await grid.adapter.clients.for_team(EAST)).token == EAST_TOKEN

    # East uninstalls its own install: the org-wide install stays.
    uninstalled = {"type": "app_uninstalled", "event_ts": "1800000000.1"}
    await grid.event(uninstalled, team=EAST, org=ORG)
    await grid.settled(3)
    left = "SELECT external_id FROM installation"
    assert await scalar(db, left) == ""


async def test_uninstalling_the_org_wide_install_leaves_every_team_unknown(
    grid: SlackWorld, db: Database
) -> None:
    await serve_north_and_south(grid)
    assert (await grid.adapter.clients.for_team(SOUTH)).token == ORG_TOKEN

    uninstalled = {"type": "app_uninstalled", "event_ts": "1800000000.1"}
    await grid.event(uninstalled, team=NORTH, org=ORG, org_wide=True)
    await grid.settled(3)
    assert await scalar(db, "SELECT count(*) FROM installation") == 0

    grid.fake.calls.clear()
    await assert_unknown(grid, NORTH, "U0NOR", org=ORG, org_wide=True)
    await assert_unknown(grid, SOUTH, "U0SOU", org=ORG, org_wide=True)


async def test_in_an_org_wide_install_only_an_org_admin_becomes_a_new_workspace_admin(
    grid: SlackWorld, db: Database
) -> None:
    grid.fake.user("U0SOM", "som", team_id=SOUTH, enterprise_user={"is_admin": False})
    grid.fake.user("U0SOA", "soa", team_id=SOUTH, enterprise_user={"is_admin": True})
    assert "Thank you!" in await install(grid, "code-org")
    roles = (
        "SELECT p.roles FROM person p JOIN workspace w ON w.id = p.workspace_id "
        f"WHERE w.external_id = '{SOUTH}' AND p.platform_user_id = '{{}}'"
    )
    # The first person South sees is a plain member: not its admin, as they would be in a
    # workspace that installed the app itself; the first org admin seen there is.
    await greet(grid, SOUTH, "U0SOM")
    await grid.settled(1)
    await greet(grid, SOUTH, "U0SOA")
    await grid.settled(2)
    assert "admin" not in str(await scalar(db, roles.format("U0SOM")))
    assert "admin" in str(await scalar(db, roles.format("U0SOA")))


async def test_a_workspace_the_org_wide_install_loses_is_no_longer_sent_to(
    grid: SlackWorld, db: Database
) -> None:
    await serve_north_and_south(grid)

    revoked = {"type": "team_access_revoked", "team_ids": [SOUTH]}
    await grid.event(revoked, team="", org=ORG, org_wide=True)
    await grid.settled(3)
    linked = "SELECT count(*) FROM slack_grid_team WHERE team_id = '{}'"
    assert await scalar(db, linked.format(SOUTH)) == 0
    assert await scalar(db, linked.format(NORTH)) == 1
    with pytest.raises(NotInstalled):
        await grid.adapter.clients.for_team(SOUTH)
    assert (await grid.adapter.clients.for_team(NORTH)).token == ORG_TOKEN

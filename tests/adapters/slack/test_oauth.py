"""OAuth installs: each workspace installs through bolt's flow, gets its own token, and is
answered with it; the first installer becomes the workspace's admin."""

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from urllib.parse import parse_qs, urlparse

import pytest

from adapters.slack.clients import NotInstalled
from adapters.slack.settings import SECTION as SLACK
from bot.contract.ui import Destination, Message
from bot.delivery.outbox import OutboxWriter
from bot.kit.people import ensure_workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from tests.adapters.slack.conftest import SlackWorld, slack_settings, slack_world
from tests.adapters.slack.fake_slack import FakeSlack
from tests.adapters.slack.test_home import home_opened
from tests.conftest import scalar

ALPHA, BETA = "T0ALPHA", "T0BETA"
CLIENT_ID, CLIENT_SECRET = "1111.2222", "client-secret-for-tests"


def oauth_world(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack, **more: str
) -> AbstractAsyncContextManager[SlackWorld]:
    """Slack in OAuth mode, with workspaces Alpha (installer U0ALI) and Beta (U0BEA) ready to
    install; `more` settings on top."""
    fake_slack.user("U0ALI", "ali")
    fake_slack.user("U0BEA", "bea")
    fake_slack.grants.update(
        {"code-a": (ALPHA, "Alpha", "U0ALI"), "code-b": (BETA, "Beta", "U0BEA")}
    )
    wired = (
        slack_settings(settings, fake_slack)
        .model_copy(update=more)
        .with_section(SLACK, bot_token="", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    )
    return slack_world(db, wired, clock, fake_slack)


@pytest.fixture
async def installs(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackWorld]:
    async with oauth_world(db, settings, clock, fake_slack) as world:
        yield world


async def install(world: SlackWorld, code: str) -> str:
    """Click "Add to Slack", approve, and come back with the code, as a browser would."""
    start = await world.http.get("/slack/install", allow_redirects=False)
    assert start.status == 302
    state = parse_qs(urlparse(start.headers["Location"]).query)["state"][0]
    # The state cookie is Secure (https only): hand it back as the browser would over https.
    cookie = start.headers["Set-Cookie"].split(";")[0]
    back = await world.http.get(
        "/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": cookie},
        allow_redirects=False,
    )
    return await back.text() if back.status == 200 else f"{back.status}: {await back.text()}"


async def test_each_workspace_is_answered_with_its_own_token(
    installs: SlackWorld, db: Database
) -> None:
    fake = installs.fake
    assert "Thank you!" in await install(installs, "code-a")
    assert "Thank you!" in await install(installs, "code-b")

    rows = "SELECT count(*) FROM installation WHERE platform = 'slack'"
    assert await scalar(db, rows) == 2
    token = "SELECT bot_token FROM installation WHERE external_id = 'T0BETA'"
    assert await scalar(db, token) == "xoxb-t0beta"
    roles = (
        "SELECT p.roles FROM person p JOIN workspace w ON w.id = p.workspace_id "
        "WHERE w.external_id = 'T0ALPHA' AND p.platform_user_id = 'U0ALI'"
    )
    assert "admin" in str(await scalar(db, roles))

    await installs.event(home_opened("U0ALI"), team=ALPHA)
    await installs.event(home_opened("U0BEA"), team=BETA)
    await installs.command("U0BEA", "/kudos", "help", team=BETA)
    await installs.settled(3)

    published = {c.args["user_id"]: c.token for c in fake.calls if c.method == "views.publish"}
    assert published == {"U0ALI": "xoxb-t0alpha", "U0BEA": "xoxb-t0beta"}
    [help_reply] = [c for c in fake.calls if c.method == "chat.postEphemeral" and c.ok]
    assert help_reply.token == "xoxb-t0beta"
    assert all(c.token != "xoxb-test-token" for c in fake.calls)


async def assert_unknown(
    world: SlackWorld, team: str, user: str, org: str | None = None, org_wide: bool = False
) -> None:
    """`team` is treated as a workspace that never installed: bolt answers its events without
    running any listener, and the outbox finds no token to send with. `org` and `org_wide`
    shape the event as from a team of an Enterprise Grid org (see SlackWorld.event_body)."""
    body = world.event_body(home_opened(user), team=team, org=org, org_wide=org_wide)
    response = await world.post(body, "application/json")
    assert response.status in {200, 401}
    assert world.fake.ok("views.publish") == []
    with pytest.raises(NotInstalled):
        await world.adapter.clients.for_team(team)


async def test_a_workspace_that_never_installed_gets_nothing(installs: SlackWorld) -> None:
    await assert_unknown(installs, "T0NOBODY", "U0ANN")


async def test_a_forged_or_replayed_callback_installs_nothing(
    installs: SlackWorld, db: Database
) -> None:
    forged = await installs.http.get(
        "/slack/oauth_redirect", params={"code": "code-a", "state": "made-up"}
    )
    assert forged.status >= 400
    assert "Thank you!" in await install(installs, "code-a")
    assert "Thank you!" not in await install(installs, "code-a")  # a code works once
    assert await scalar(db, "SELECT count(*) FROM installation") == 1

    # Installing again (new scopes, say) replaces the workspace's row.
    installs.fake.grants["code-a-again"] = (ALPHA, "Alpha", "U0ALI")
    assert "Thank you!" in await install(installs, "code-a-again")
    assert await scalar(db, "SELECT count(*) FROM installation") == 1
    assert await scalar(db, "SELECT name FROM workspace WHERE external_id = 'T0ALPHA'") == "Alpha"


async def test_uninstall_forgets_the_workspace_token(installs: SlackWorld, db: Database) -> None:
    assert "Thank you!" in await install(installs, "code-a")
    assert "Thank you!" in await install(installs, "code-b")

    await installs.event({"type": "app_uninstalled", "event_ts": "1800000000.1"}, team=ALPHA)
    await installs.settled(1)
    assert await scalar(db, "SELECT external_id FROM installation") == BETA

    # What was still queued for the uninstalled workspace is given up, not retried forever.
    async with db.session() as session:
        alpha = await ensure_workspace(
            session, "slack", ALPHA, "Alpha", installs.rapport.bot.clock.now()
        )
        OutboxWriter(session, alpha, "late", installs.rapport.bot.clock.now()).add(
            Destination(kind="dm", user="U0ALI"), Message(text="too late")
        )
    await installs.rapport.runtime.settle()
    dead = "SELECT last_error FROM outbox_message WHERE key = 'late:0' AND status = 'dead'"
    assert "not installed" in str(await scalar(db, dead))

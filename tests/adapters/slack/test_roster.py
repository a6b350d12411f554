"""Slack rosters: users.list paged (and rate limited) at start-up, team_join and user_change,
profile fields mapped to department and location, and HR data left as it is."""

from collections.abc import AsyncIterator

import pytest
from sqlmodel import select

from adapters.slack.settings import SECTION as SLACK
from bot.models import Person, Workspace
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings
from handlers.people.csv_import import import_people
from tests.adapters.slack.conftest import SlackWorld, slack_settings, slack_world
from tests.adapters.slack.fake_slack import TEAM, FakeSlack


@pytest.fixture
async def mapped(
    db: Database, settings: Settings, clock: VirtualClock, fake_slack: FakeSlack
) -> AsyncIterator[SlackWorld]:
    """Slack with the title as department and custom field Xf01 as location."""
    fake_slack.users["U0ANN"]["is_primary_owner"] = True
    fake_slack.users["U0ANN"]["profile"] |= {
        "title": "Engineering",
        "fields": {"Xf01": {"value": "Lisbon", "alt": ""}},
    }
    fake_slack.user("U0CARA", "cara", "Europe/Paris", deleted=True)
    fake_slack.user("U0DAN", "dan", "Europe/Berlin")
    fake_slack.users["U0DAN"]["profile"]["title"] = "Sales"
    wired = slack_settings(settings, fake_slack).with_section(
        SLACK, department_field="title", location_field="Xf01"
    )
    async with slack_world(db, wired, clock, fake_slack) as world:
        yield world


async def people(slack: SlackWorld) -> dict[str, Person]:
    async with slack.rapport.db.session() as session:
        found = await session.exec(
            select(Person).join(Workspace).where(Workspace.platform == "slack")
        )
        return {p.platform_user_id: p for p in found.all()}


async def test_the_roster_is_read_page_by_page_at_start_up(mapped: SlackWorld) -> None:
    mapped.fake.limited_methods["users.list"] = 1
    mapped.fake.retry_after = 0
    await mapped.adapter.sync_rosters()
    pages = [c for c in mapped.fake.calls if c.method == "users.list"]
    assert [c.status for c in pages] == [429, 200, 200, 200]
    found = await people(mapped)
    assert set(found) == {"U0ANN", "U0BOB", "UBOT", "U0CARA", "U0DAN"}
    ann = found["U0ANN"]
    assert (ann.department, ann.location, ann.email) == ("Engineering", "Lisbon", "ann@acme.test")
    assert ann.sources["department"] == "platform" and ann.roles == ["admin"]
    assert found["U0DAN"].department == "Sales" and found["U0DAN"].timezone == "Europe/Berlin"
    assert not found["U0CARA"].active and found["UBOT"].is_bot
    assert found["U0BOB"].roles == []


async def test_a_page_limited_halfway_resumes_from_its_cursor(mapped: SlackWorld) -> None:
    mapped.fake.limited_pages[("users.list", "4")] = 1
    mapped.fake.retry_after = 0
    await mapped.adapter.sync_rosters()
    pages = [
        (c.args.get("cursor"), c.status) for c in mapped.fake.calls if c.method == "users.list"
    ]
    assert pages == [(None, 200), ("2", 200), ("4", 429), ("4", 200)]
    assert len(await people(mapped)) == 5


async def test_hr_data_stays_and_a_pending_record_is_claimed(mapped: SlackWorld) -> None:
    async with mapped.rapport.db.session() as session:
        workspace = Workspace(
            platform="slack",
            external_id=TEAM,
            name="Acme",
            settings={},
            created_at=mapped.rapport.bot.clock.now(),
        )
        session.add(workspace)
        await session.flush()
        hr = "user,department,location\nann@acme.test,Platform,\neve@acme.test,Finance,Paris\n"
        await import_people(session, workspace, hr, mapped.rapport.bot.clock.now())
    await mapped.adapter.sync_rosters()
    ann = (await people(mapped))["U0ANN"]
    assert (ann.department, ann.location) == ("Platform", "Lisbon")
    assert ann.sources == {
        "department": "hr",
        "email": "hr",
        "location": "platform",
        "name": "platform",
        "timezone": "platform",
        "active": "platform",
    }
    mapped.fake.user("U0EVE", "eve", "Europe/Paris")
    user = mapped.fake.users["U0EVE"]
    await mapped.event({"type": "team_join", "user": user})
    await mapped.settled(1)
    eve = (await people(mapped))["U0EVE"]
    assert (eve.department, eve.location, eve.timezone) == ("Finance", "Paris", "Europe/Paris")
    assert "pending:eve@acme.test" not in await people(mapped)


async def test_a_profile_change_and_a_deactivation_arrive_as_events(mapped: SlackWorld) -> None:
    await mapped.adapter.sync_rosters()
    dan = dict(mapped.fake.users["U0DAN"])
    dan["profile"] = {**dan["profile"], "title": "Marketing"}
    await mapped.event({"type": "user_change", "user": dan})
    await mapped.event({"type": "user_change", "user": {**dan, "deleted": True}})
    await mapped.settled(2)
    found = (await people(mapped))["U0DAN"]
    assert found.department == "Marketing" and not found.active
    assert found.left_on == mapped.rapport.bot.clock.now().date()

"""Discord rosters: the guild's members when the bot arrives, roles as departments, joins,
role changes and leaves, through discord.py against the local fake of Discord's API."""

from collections.abc import AsyncIterator, Callable

import pytest
from sqlmodel import select

from adapters.discord import roster
from adapters.discord.settings import SECTION as DISCORD
from bot.models import Person
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.assembly import assemble
from bot.wiring.config import Settings
from handlers import build_router
from tests.adapters.discord.conftest import ANN, BOB, Harness
from tests.adapters.discord.fake_discord import GUILD_ID, FakeDiscord, member, user
from tests.adapters.discord.test_groups_and_threads import ENG_ROLE, _role, guild_with_roles
from tests.waiting import until_async

MEMBERS = rf"/guilds/{GUILD_ID}/members"
CAT = user("100000000000000003", "Cat")
SALES_ROLE = "830000000000000002"
OWNER = "900000000000000003"  # guild_create's owner_id


@pytest.fixture
async def roster_harness(
    db: Database, clock: VirtualClock, fake: FakeDiscord
) -> AsyncIterator[Harness]:
    fake.users |= {CAT["id"]: CAT, OWNER: user(OWNER, "Olga")}
    fake.roles |= {BOB["id"]: [ENG_ROLE], CAT["id"]: [SALES_ROLE, ENG_ROLE]}
    settings = Settings(
        _env_file=None,
        database_url=db.url,
        seed_demo=False,
    ).with_section(
        DISCORD,
        token="test-token",
        api_base_url=fake.base_url,
        members_intent=True,
        department_roles="Sales, eng",
    )
    assembly = await assemble(settings, build_router(), clock, None, db=db)
    assert assembly.discord is not None
    client = assembly.discord.client
    await client.login(assembly.discord.token)
    harness = Harness(fake, assembly, client)
    guild = guild_with_roles()
    guild["roles"].append(_role({"id": SALES_ROLE, "name": "Sales", "permissions": "0"}))
    harness.feed("GUILD_CREATE", guild)
    yield harness
    await assembly.close()


async def people(harness: Harness) -> dict[str, Person]:
    async with harness.assembly.db.session() as session:
        return {p.platform_user_id: p for p in (await session.exec(select(Person))).all()}


async def test_the_guild_roster_is_read_on_arrival(roster_harness: Harness) -> None:
    guild = roster_harness.client.get_guild(int(GUILD_ID))
    assert guild is not None
    await roster_harness.client.arrive(guild)
    found = await people(roster_harness)
    assert set(found) == {ANN["id"], BOB["id"], CAT["id"], OWNER}
    assert found[BOB["id"]].department == "eng"
    assert found[CAT["id"]].department == "Sales"  # the first listed role they hold
    assert found[ANN["id"]].department is None
    assert found[OWNER].roles == ["admin"] and found[BOB["id"]].roles == []
    assert found[CAT["id"]].sources["department"] == "platform"


async def test_joins_role_changes_and_leaves(roster_harness: Harness) -> None:
    dan = user("100000000000000005", "Dan")
    joined = {**member(dan), "guild_id": GUILD_ID, "roles": [SALES_ROLE]}
    roster_harness.feed("GUILD_MEMBER_ADD", joined)
    await _until_person(roster_harness, dan["id"], lambda p: p.department == "Sales")
    roster_harness.feed(
        "GUILD_MEMBER_UPDATE", {"guild_id": GUILD_ID, "user": dan, "roles": [ENG_ROLE]}
    )
    await _until_person(roster_harness, dan["id"], lambda p: p.department == "eng")
    roster_harness.feed("GUILD_MEMBER_REMOVE", {"guild_id": GUILD_ID, "user": dan})
    await _until_person(roster_harness, dan["id"], lambda p: not p.active)


async def test_a_long_rate_limit_is_waited_out_and_the_listing_goes_on(
    roster_harness: Harness,
) -> None:
    fake = roster_harness.fake
    many = [user(str(100000000000010000 + n), f"Member {n}") for n in range(1200)]
    fake.users |= {found["id"]: found for found in many}
    # The second page is limited for longer than discord.py waits itself (30 s).
    limited = {"message": "You are being rate limited.", "retry_after": 45.0, "global": False}
    fake.fail_next("GET", MEMBERS, 429, limited, {"Via": "1.1 google"}, skip=1)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    guild = roster_harness.client.get_guild(int(GUILD_ID))
    assert guild is not None
    await roster.sync(roster_harness.assembly.bot, guild, sleep)

    assert waits == [45.0]
    pages = [int(call.query.get("after", "0")) for call in fake.find("GET", MEMBERS)]
    listed = sorted(int(found["id"]) for found in fake.users.values())
    # Page one, page two refused, then page two again after the highest id read: not page one.
    assert pages == [0, listed[999], listed[999]]
    found = await people(roster_harness)
    assert set(found) == {str(n) for n in listed}


async def _until_person(harness: Harness, user_id: str, check: Callable[[Person], bool]) -> None:
    """discord.py runs each gateway event in a task of its own: wait for its write."""

    async def ready() -> bool:
        found = (await people(harness)).get(user_id)
        return found is not None and check(found)

    await until_async(ready, f"person {user_id}")

"""A small demo workspace for the local platform, seeded when the database is empty."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.feature import Feature
from bot.models import Person, Workspace

DEMO_WORKSPACE = "demo"

PEOPLE = [
    # handle, name, time zone, department, manager, roles
    ("ann", "Ann Lee", "Europe/London", "Engineering", None, ["admin"]),
    ("bob", "Bob Stone", "Europe/London", "Engineering", "ann", []),
    ("cara", "Cara Diaz", "America/New_York", "People", None, ["hr"]),
    ("dan", "Dan Okafor", "Europe/Berlin", "Community", None, ["community_manager"]),
    ("eve", "Eve Martin", "Asia/Singapore", "Sales", "dan", []),
    ("fay", "Fay Nguyen", "America/Los_Angeles", "Sales", "dan", []),
    ("rapport", "Rapport", "UTC", None, None, []),
]


async def seed_demo(session: AsyncSession, now: datetime, features: Sequence[Feature]) -> bool:
    """Create the demo workspace, with what each of `features` adds to it, unless any
    workspace exists; True if it seeded."""
    if (await session.exec(select(Workspace.id))).first() is not None:
        return False
    workspace = Workspace(
        platform="local",
        external_id=DEMO_WORKSPACE,
        name="Demo Co",
        timezone="Europe/London",
        settings={},
        created_at=now,
    )
    session.add(workspace)
    await session.flush()
    assert workspace.id is not None
    by_handle: dict[str, Person] = {}
    for handle, name, zone, department, manager, roles in PEOPLE:
        person = Person(
            workspace_id=workspace.id,
            platform_user_id=handle,
            display_name=name,
            timezone=zone,
            department=department,
            roles=roles,
            is_bot=handle == "rapport",
            created_at=now,
            manager_id=by_handle[manager].id if manager else None,
        )
        session.add(person)
        await session.flush()
        by_handle[handle] = person
    for feature in features:
        if feature.demo is not None:
            await feature.demo(session, workspace, now)
    return True

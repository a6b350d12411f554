"""Coffee pairing rules: who takes part, the cadence, a round, and the met-rate. No chat I/O."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.channels import channel_in
from bot.kit.directory import is_reachable, reachable
from bot.kit.interactions import Edge, record_interactions
from bot.models import Person, Schedule, Workspace
from bot.store.db_lock import lock_workspace, locked_by_id
from bot.time.scheduler import add_schedule
from handlers.coffee.history import COFFEE
from handlers.coffee.i18n import _
from handlers.coffee.matching import Colleague, coffee_groups
from handlers.coffee.tables import CoffeeGroup, CoffeeMember

ROUND_KIND = "coffee.round"
MAX_SNOOZE = timedelta(weeks=12)
_SNOOZE = re.compile(r"^(\d{1,3})\s*(d|day|days|w|week|weeks)$")
CADENCES = ("weekly", "biweekly", "monthly")


async def membership(session: AsyncSession, person: Person) -> CoffeeMember | None:
    found = await session.exec(select(CoffeeMember).where(CoffeeMember.person_id == person.id))
    return found.first()


async def join(session: AsyncSession, person: Person, now: datetime) -> CoffeeMember:
    """Opt in, or wake up from a snooze."""
    member = await membership(session, person) or CoffeeMember(
        workspace_id=person.workspace_id, person_id=person.id or 0, joined_at=now
    )
    member.active = True
    member.snoozed_until = None
    session.add(member)
    return member


async def join_everyone(session: AsyncSession, workspace: Workspace, now: datetime) -> int:
    """Opt in every person who has never been a member; anyone who left stays out."""
    known = await session.exec(
        select(CoffeeMember.person_id).where(CoffeeMember.workspace_id == workspace.id)
    )
    members = set(known.all())
    people = await session.exec(
        select(Person).where(
            Person.workspace_id == workspace.id, col(Person.is_bot).is_(False), reachable()
        )
    )
    added = [
        CoffeeMember(workspace_id=p.workspace_id, person_id=p.id or 0, joined_at=now)
        for p in people.all()
        if p.id not in members
    ]
    session.add_all(added)
    return len(added)


async def leave(session: AsyncSession, person: Person, now: datetime, *, pooled: bool) -> bool:
    """Opt out; False if they were not taking part. With coffee channels (`pooled`) anyone may
    be taking part without having joined: their opt-out is kept as a membership that is off."""
    member = await membership(session, person)
    if member is None:
        if pooled:
            session.add(
                CoffeeMember(
                    workspace_id=person.workspace_id,
                    person_id=person.id or 0,
                    joined_at=now,
                    active=False,
                )
            )
        return pooled
    if not member.active:
        return False
    member.active = False
    return True


def parse_snooze(text: str) -> timedelta:
    match = _SNOOZE.match(text.strip().lower())
    if not match:
        raise UserError(_("Snooze for days or weeks, like `/coffee snooze 2w` or `10d`."))
    number, unit = int(match[1]), match[2]
    length = timedelta(weeks=number) if unit.startswith("w") else timedelta(days=number)
    if not timedelta(days=1) <= length <= MAX_SNOOZE:
        raise UserError(_("Snooze for at least a day and at most 12 weeks."))
    return length


async def snooze(
    session: AsyncSession, person: Person, length: timedelta, now: datetime, *, pooled: bool
) -> None:
    """Skip rounds until then. A member of a coffee channel (`pooled`) who never joined
    becomes a member by snoozing, so that the snooze has somewhere to live."""
    member = await membership(session, person)
    if member is None and pooled:
        member = await join(session, person, now)
    if member is None or not member.active:
        raise UserError(_("You aren't taking part in coffee pairing: `/coffee join` first."))
    member.snoozed_until = now + length


def cadence_trigger(cadence: str, workspace: Workspace, now: datetime) -> dict[str, Any]:
    """Rounds start at 09:00 on Monday in the workspace's time zone."""
    if cadence == "weekly":
        return {"type": "cron", "day_of_week": "mon", "hour": 9, "minute": 0}
    if cadence == "monthly":
        # APScheduler matches all cron fields together: a Monday within days 1-7.
        return {"type": "cron", "day": "1-7", "day_of_week": "mon", "hour": 9, "minute": 0}
    local = now.astimezone(ZoneInfo(workspace.timezone))
    monday = (local + timedelta(days=(7 - local.weekday()) % 7)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    if monday <= local:
        monday += timedelta(weeks=1)
    return {"type": "interval", "weeks": 2, "start": monday.isoformat()}


async def set_cadence(
    session: AsyncSession, workspace: Workspace, cadence: str, now: datetime
) -> Schedule | None:
    cadence = cadence.strip().lower()
    if cadence not in (*CADENCES, "off"):
        raise UserError(_("Cadence is weekly, biweekly, monthly or off."))
    current = await session.exec(
        select(Schedule).where(
            Schedule.workspace_id == workspace.id,
            Schedule.kind == ROUND_KIND,
            col(Schedule.enabled),
        )
    )
    for schedule in current.all():
        schedule.enabled = False
    workspace.settings = {
        **workspace.settings,
        "coffee": {**workspace.settings.get("coffee", {}), "cadence": cadence},
    }
    if cadence == "off":
        return None
    return await add_schedule(
        session,
        workspace,
        ROUND_KIND,
        cadence_trigger(cadence, workspace, now),
        now=now,
        timezone=workspace.timezone,
        name=f"coffee pairing, {cadence}",  # not translated: a schedule's name, for operators
    )


def channels(workspace: Workspace) -> list[str]:
    """Channels whose members are paired every round, on top of everyone who opted in."""
    return list(workspace.settings.get("coffee", {}).get("channels", []))


def parse_channel(text: str) -> str:
    """A channel as typed: `#eng`, `eng`, or a platform's channel mention (`<#C123|eng>`)."""
    named = channel_in(text.strip())
    if named is None:
        raise UserError(_("Name one channel, like `/coffee channel #engineering`."))
    return named


def set_channel(workspace: Workspace, channel: str, *, on: bool) -> bool:
    """Add (or remove) a channel; False if that changed nothing."""
    current = channels(workspace)
    if (channel in current) == on:
        return False
    chosen = [*current, channel] if on else [c for c in current if c != channel]
    workspace.settings = {
        **workspace.settings,
        "coffee": {**workspace.settings.get("coffee", {}), "channels": chosen},
    }
    return True


async def met_before(session: AsyncSession, workspace: Workspace) -> set[frozenset[int]]:
    found = await session.exec(
        select(CoffeeGroup.members).where(CoffeeGroup.workspace_id == workspace.id)
    )
    met: set[frozenset[int]] = set()
    for members in found.all():
        met |= {frozenset((a, b)) for a in members for b in members if a < b}
    return met


@dataclass
class CoffeeRound:
    groups: list[tuple[CoffeeGroup, list[Person]]]
    left_out: list[Person]


async def _channel_pool(
    session: AsyncSession, people: list[Person], now: datetime
) -> dict[int, Person]:
    """Channel members who take part: all but bots, people who left and people snoozed."""
    ids = [p.id for p in people if p.id is not None and not p.is_bot and is_reachable(p)]
    found = await session.exec(select(CoffeeMember).where(col(CoffeeMember.person_id).in_(ids)))
    out = {
        m.person_id
        for m in found.all()
        if not m.active or (m.snoozed_until is not None and m.snoozed_until > now)
    }
    return {p.id: p for p in people if p.id is not None and p.id in ids and p.id not in out}


async def run_round(
    session: AsyncSession,
    workspace: Workspace,
    now: datetime,
    period: str,
    channel_people: list[Person] | None = None,
) -> CoffeeRound:
    """Pair everyone taking part and not snoozed: who opted in, and the members of the
    coffee channels (`channel_people`) who have not left."""
    await lock_workspace(session, workspace)
    found = await session.exec(
        select(Person)
        .join(CoffeeMember, col(CoffeeMember.person_id) == col(Person.id))
        .where(
            CoffeeMember.workspace_id == workspace.id,
            col(CoffeeMember.active),
            col(Person.is_bot).is_(False),
            reachable(),
            (col(CoffeeMember.snoozed_until).is_(None)) | (col(CoffeeMember.snoozed_until) <= now),
        )
        .order_by(col(Person.id))
    )
    people = {p.id: p for p in found.all() if p.id is not None}
    people |= await _channel_pool(session, channel_people or [], now)
    people = dict(sorted(people.items()))
    colleagues = [Colleague(pid, p.department) for pid, p in people.items()]
    result = CoffeeRound([], [])
    groups = coffee_groups(colleagues, await met_before(session, workspace))
    for group in groups:
        row = CoffeeGroup(
            workspace_id=workspace.id or 0,
            period=period,
            members=[c.id for c in group],
            created_at=now,
        )
        session.add(row)
        result.groups.append((row, [people[c.id] for c in group]))
    if not groups:
        result.left_out = list(people.values())
    await session.flush()
    return result


async def record_met(session: AsyncSession, person: Person, value: str, now: datetime) -> bool:
    """Record a "did you meet?" answer; a yes from anyone in the group wins."""
    group_id, __, answer = value.partition(":")
    # Locked, so that a yes and a no clicked at once cannot lose the yes.
    group = await locked_by_id(session, CoffeeGroup, group_id)
    if group is None or person.id not in group.members or answer not in ("yes", "no"):
        raise UserError(_("That coffee pairing isn't yours, or no longer exists."))
    met = answer == "yes"
    group.met = met or bool(group.met)
    group.answered_at = now
    if met:
        pairs = combinations(sorted(group.members), 2)
        edges = [Edge(a, b, COFFEE, f"coffee:{group.id}") for a, b in pairs]
        await record_interactions(session, group.workspace_id, edges, now)
    return met


@dataclass
class CoffeeStats:
    members: int
    snoozed: int
    cadence: str
    groups: int
    answered: int
    met: int
    channels: list[str]


async def stats(session: AsyncSession, workspace: Workspace, now: datetime) -> CoffeeStats:
    members = (
        await session.exec(
            select(CoffeeMember).where(
                CoffeeMember.workspace_id == workspace.id, col(CoffeeMember.active)
            )
        )
    ).all()
    groups = (
        await session.exec(select(CoffeeGroup).where(CoffeeGroup.workspace_id == workspace.id))
    ).all()
    return CoffeeStats(
        members=len(members),
        snoozed=sum(1 for m in members if m.snoozed_until and m.snoozed_until > now),
        cadence=workspace.settings.get("coffee", {}).get("cadence", "off"),
        groups=len(groups),
        answered=sum(1 for g in groups if g.met is not None),
        met=sum(1 for g in groups if g.met),
        channels=channels(workspace),
    )

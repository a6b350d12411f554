"""Kudos rules: who may give what to whom, and what the numbers are. No chat I/O here."""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import UserError
from bot.kit.directory import is_reachable
from bot.kit.i18n import format_list, format_number, format_time
from bot.kit.interactions import Edge, forget_interactions, record_interactions
from bot.kit.safety import neutralise
from bot.kit.words import weighed_length
from bot.models import Person, Workspace
from bot.store.session_memo import memo
from handlers.kudos.history import KUDOS
from handlers.kudos.i18n import _, ngettext
from handlers.kudos.settings import KudosSettings
from handlers.kudos.tables import CompanyValue, Kudos, KudosSource

Window = Literal["week", "month", "all"]


class KudosRefused(UserError):
    """A kudos rule said no; `field` names the form input it is about."""

    def __init__(self, text: str, field: str = "reason") -> None:
        super().__init__(text)
        self.field = field


@dataclass
class Allowance:
    left: int
    resets_at: datetime


@dataclass
class KudosStats:
    received: int
    received_week: int
    given: int
    top_values: list[tuple[str, int]]


def local_midnight(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    return datetime.combine(local.date(), time(), tzinfo=local.tzinfo)


def window_start(now: datetime, timezone: str, window: Window) -> datetime | None:
    midnight = local_midnight(now, timezone)
    if window == "week":
        return midnight - timedelta(days=midnight.weekday())
    if window == "month":
        return midnight.replace(day=1)
    return None


# Built once, values as parameters: every kudos asks both, and building a statement (with
# its cache key) cost more than SQLite's work on it (benchmarks/README.md, Slack ingest).
_GIVEN_SINCE = select(func.count()).where(
    Kudos.giver_id == bindparam("giver"), col(Kudos.created_at) >= bindparam("since")
)
_GIVEN_FOR = select(Kudos.id).where(
    Kudos.giver_id == bindparam("giver"),
    Kudos.receiver_id == bindparam("receiver"),
    Kudos.source_ref == bindparam("ref"),
)


async def allowance(
    session: AsyncSession, giver: Person, settings: KudosSettings, now: datetime
) -> Allowance:
    since = local_midnight(now, giver.timezone)
    given = await session.exec(_GIVEN_SINCE, params={"giver": giver.id, "since": since})
    tomorrow = datetime.combine(since.date() + timedelta(days=1), time(), tzinfo=since.tzinfo)
    return Allowance(max(settings.daily_allowance - given.one(), 0), tomorrow)


async def company_values(session: AsyncSession, workspace: Workspace) -> list[CompanyValue]:
    # Read once a transaction: every kudos in a batch of events asks (bot/store/session_memo.py).
    remembered = memo(session)
    key = ("company_values", workspace.id)
    if key not in remembered:
        found = await session.exec(
            select(CompanyValue)
            .where(CompanyValue.workspace_id == workspace.id)
            .order_by(col(CompanyValue.tag))
        )
        remembered[key] = list(found.all())
    return list(remembered[key])


def forget_company_values(session: AsyncSession, workspace: Workspace) -> None:
    memo(session).pop(("company_values", workspace.id), None)


async def choose_value(
    session: AsyncSession, workspace: Workspace, tags: list[str], settings: KudosSettings
) -> str | None:
    values = [v.tag for v in await company_values(session, workspace)]
    known = [t for t in dict.fromkeys(tags) if t in values]
    if values and len(known) > 1:
        raise KudosRefused(_("Please tag just one value per kudos."), "value")
    if values and tags and not known:
        raise KudosRefused(
            _("#{tag} is not one of our values. Pick one of: {values}.").format(
                tag=tags[0], values=_listed(values)
            ),
            "value",
        )
    if settings.values_required and not known:
        raise KudosRefused(
            _("Please tag the value this shows: {values}.").format(values=_listed(values)),
            "value",
        )
    return known[0] if known else None


def _listed(values: list[str]) -> str:
    return format_list(f"#{v}" for v in values)


def check_reason(reason: str, settings: KudosSettings) -> str:
    reason = neutralise(reason).strip()
    # A letter of Chinese, Japanese or Korean says about as much as two Latin ones: "助かりま
    # した" (6) means "that helped a lot" (17). The shortest reason is counted in Latin ones.
    if weighed_length(reason) < max(settings.min_reason_length, 1):
        shortest = settings.min_reason_length
        raise KudosRefused(
            ngettext(
                "Please say what they did: a reason of at least {count} character makes "
                "kudos mean something.",
                "Please say what they did: a reason of at least {count} characters makes "
                "kudos mean something.",
                shortest,
            ).format(count=format_number(shortest))
        )
    if len(reason) > settings.max_reason_length:
        raise KudosRefused(
            _("That reason is {length} characters; please keep it to at most {longest}.").format(
                length=format_number(len(reason)),
                longest=format_number(settings.max_reason_length),
            )
        )
    return reason


def check_recipients(giver: Person, recipients: list[Person]) -> None:
    if not recipients:
        raise KudosRefused(
            _("Who is it for? Mention someone, like `/kudos @ann thanks for …`."), "to"
        )
    if any(r.id == giver.id for r in recipients):
        raise KudosRefused(
            _(
                "You can't give kudos to yourself, though we're sure you deserve it. "
                "Nothing was sent."
            ),
            "to",
        )
    bots = [r.display_name for r in recipients if r.is_bot]
    if bots:
        raise KudosRefused(
            _("Bots don't need kudos ({names}): pick a human.").format(names=format_list(bots)),
            "to",
        )
    gone = [r.display_name for r in recipients if not is_reachable(r)]
    if gone:
        raise KudosRefused(
            ngettext(
                "{names} is no longer here: nothing was sent.",
                "{names} are no longer here: nothing was sent.",
                len(gone),
            ).format(names=format_list(gone)),
            "to",
        )


def check_allowance(left: Allowance, wanted: int) -> None:
    if wanted <= left.left:
        return
    if left.left == 0:
        raise KudosRefused(
            _(
                "You've used all your kudos for today. They refill at midnight your time "
                "({time}). Thank you for being generous!"
            ).format(time=format_time(left.resets_at)),
            "to",
        )
    named = ngettext("{count} person", "{count} people", wanted).format(count=wanted)
    raise KudosRefused(
        ngettext(
            "You have {count} kudos left today but named {named}. "
            "Pick fewer, or save some for tomorrow.",
            "You have {count} kudos left today but named {named}. "
            "Pick fewer, or save some for tomorrow.",
            left.left,
        ).format(count=left.left, named=named),
        "to",
    )


async def record(
    session: AsyncSession,
    giver: Person,
    recipients: list[Person],
    reason: str,
    value: str | None,
    now: datetime,
    *,
    source: KudosSource = "command",
    source_ref: str | None = None,
) -> list[Kudos]:
    batch = secrets.token_hex(6)
    given = [
        Kudos(
            workspace_id=giver.workspace_id,
            batch=batch,
            giver_id=giver.id or 0,
            receiver_id=receiver.id or 0,
            reason=reason,
            value=value,
            source=source,
            source_ref=source_ref,
            created_at=now,
        )
        for receiver in recipients
    ]
    session.add_all(given)
    edges = [Edge(k.giver_id, k.receiver_id, KUDOS, f"kudos:{batch}") for k in given]
    await record_interactions(session, giver.workspace_id, edges, now)
    return given


async def already_given(
    session: AsyncSession, giver: Person, receiver: Person, source_ref: str
) -> bool:
    asked = {"giver": giver.id, "receiver": receiver.id, "ref": source_ref}
    found = await session.exec(_GIVEN_FOR, params=asked)
    return found.first() is not None


async def undo(
    session: AsyncSession, giver: Person, batch: str | None, now: datetime, minutes: int
) -> list[Kudos]:
    """Withdraw a batch (or the giver's latest) if it is still within the undo window."""
    query = select(Kudos).where(Kudos.giver_id == giver.id)
    if batch:
        query = query.where(Kudos.batch == batch)
    found = list((await session.exec(query.order_by(col(Kudos.id).desc()))).all())
    if not found:
        raise UserError(_("There is nothing of yours to undo."))
    latest = [k for k in found if k.batch == found[0].batch]
    if now - latest[0].created_at > timedelta(minutes=minutes):
        raise UserError(
            ngettext(
                "Kudos can only be withdrawn within {count} minute of giving them.",
                "Kudos can only be withdrawn within {count} minutes of giving them.",
                minutes,
            ).format(count=minutes)
        )
    await session.exec(delete(Kudos).where(col(Kudos.batch) == latest[0].batch))
    await forget_interactions(session, giver.workspace_id, KUDOS, f"kudos:{latest[0].batch}")
    return latest


async def stats(session: AsyncSession, person: Person, now: datetime) -> KudosStats:
    received = list((await session.exec(select(Kudos).where(Kudos.receiver_id == person.id))).all())
    given = await session.exec(select(func.count()).where(Kudos.giver_id == person.id))
    week = window_start(now, person.timezone, "week")
    assert week is not None
    values = Counter(k.value for k in received if k.value)
    return KudosStats(
        received=len(received),
        received_week=sum(1 for k in received if k.created_at >= week),
        given=given.one(),
        top_values=values.most_common(3),
    )


async def leaderboard(
    session: AsyncSession,
    workspace: Workspace,
    since: datetime | None,
    *,
    givers: bool = False,
    limit: int = 10,
) -> list[tuple[Person, int]]:
    who = col(Kudos.giver_id) if givers else col(Kudos.receiver_id)
    total = func.count().label("total")
    query = select(Person, total).select_from(Kudos).join(Person, Person.id == who)  # type: ignore[arg-type]
    query = query.where(Kudos.workspace_id == workspace.id)
    if since is not None:
        query = query.where(col(Kudos.created_at) >= since)
    query = (
        query.group_by(col(Person.id)).order_by(total.desc(), col(Person.display_name)).limit(limit)
    )
    return [(person, count) for person, count in (await session.exec(query)).all()]

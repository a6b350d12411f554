"""Opening a run and delivering it: audience, working hours, one due-work row per recipient.

A firing of a survey's schedule opens a run, records who is asked (the respondent rows) and
fans out one `pulse.deliver` unit per person, due at the first moment inside that person's
working hours. Each unit sends one DM through the outbox under its own stable key, so a crash
part-way resumes where it stopped and nobody gets the survey twice.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import partial

from sqlalchemy import func
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from bot.contract.context import BaseContext, WorkContext
from bot.contract.platform import PermanentFailure
from bot.kit.directory import reachable
from bot.kit.hours_text import just_hours
from bot.kit.preferences import HourRange, PersonalSettings, personal_settings
from bot.models import DueWork, OutboxMessage, Person, Workspace
from bot.store.db_upsert import insert_ignore
from bot.time.scheduler import add_schedule
from handlers.pulse import ballot_box, render, tickets
from handlers.pulse.i18n import _
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import AudienceSpec, SurveySpec
from handlers.pulse.tables import (
    ChannelMember,
    PulseRespondent,
    PulseRun,
    PulseSurvey,
    PulseTicket,
)

RUN = "pulse.run"
DELIVER = "pulse.deliver"
REMIND = "pulse.remind"
NUDGE = "pulse.nudge"
CLOSE = "pulse.close"
SHUFFLE = "pulse.shuffle"
SWEEP = "pulse.sweep"
Hours = tuple[time, time]


def parse_hours(text: str) -> Hours:
    """`09:00-17:00` (or 9-17, 0900-1700) as (start, end); ValueError unless start is before
    end."""
    try:
        start, end = just_hours(text)
        if start >= end:
            raise ValueError(text)
    except ValueError:
        raise ValueError(
            _("{text} is not working hours like 09:00-17:00").format(text=repr(text))
        ) from None
    return start, end


def working_moment(person: Person, moment: datetime, default: Hours) -> datetime:
    """The person's next working moment: within their personal working hours and days if they
    set them, else the pulse default on weekdays, in their time zone."""
    chosen = personal_settings(person)
    start, end = default
    hours = chosen.working_hours or HourRange(start=start, end=end)
    calendar = PersonalSettings(working_hours=hours, work_days=chosen.work_days)
    return calendar.not_before(moment, person.timezone)


async def audience(session: AsyncSession, workspace: Workspace, spec: AudienceSpec) -> list[Person]:
    """The humans a run goes to. A channel's audience is who has been seen posting there."""
    query = audience_query(workspace, spec).order_by(col(Person.id))
    return list((await session.exec(query)).all())


def audience_query(workspace: Workspace, spec: AudienceSpec) -> SelectOfScalar[Person]:
    query = select(Person).where(
        Person.workspace_id == workspace.id, col(Person.is_bot).is_(False), reachable()
    )
    if spec.kind == "departments":
        wanted = [d.lower() for d in spec.departments]
        query = query.where(func.lower(Person.department).in_(wanted))
    elif spec.kind == "channel":
        members = select(ChannelMember.person_id).where(
            ChannelMember.workspace_id == workspace.id, ChannelMember.channel == spec.channel
        )
        query = query.where(col(Person.id).in_(members))
    return query


async def remember_channel_member(
    session: AsyncSession, workspace: Workspace, channel: str, person: Person, now: datetime
) -> None:
    row = {
        "workspace_id": workspace.id,
        "channel": channel,
        "person_id": person.id,
        "seen_on": now.date(),
    }
    await insert_ignore(session, ChannelMember, [row])


async def channel_roster(ctx: BaseContext, channel: str) -> None:
    """A channel's audience as the platform lists its members (Slack's conversations.members),
    which replaces who was seen posting there; where the platform cannot list the channel,
    those seen posting remain its audience."""
    try:
        ids = await ctx.bot.channel_members(ctx.workspace, channel)
    except PermanentFailure:
        return
    if not ids:
        return
    people = [person for person in [await ctx.person(i) for i in ids] if person is not None]
    await ctx.session.exec(
        delete(ChannelMember).where(
            col(ChannelMember.workspace_id) == ctx.workspace.id,
            col(ChannelMember.channel) == channel,
            col(ChannelMember.person_id).not_in([p.id for p in people]),
        )
    )
    for person in people:
        await remember_channel_member(ctx.session, ctx.workspace, channel, person, ctx.now)


async def last_run(session: AsyncSession, survey: PulseSurvey) -> PulseRun | None:
    found = await session.exec(
        select(PulseRun).where(PulseRun.survey_id == survey.id).order_by(col(PulseRun.id).desc())
    )
    return found.first()


def skips_this_week(spec: SurveySpec, fire: datetime, previous: PulseRun | None) -> bool:
    """Every N weeks is a weekly trigger whose off-weeks open nothing; 12 hours of slack
    absorbs the hour a DST change adds to or takes from the gap."""
    if spec.schedule.every_weeks == 1 or previous is None:
        return False
    gap = fire - datetime.fromisoformat(previous.period)
    return gap < timedelta(weeks=spec.schedule.every_weeks) - timedelta(hours=12)


async def open_run(ctx: WorkContext) -> None:
    """A survey's schedule fired: open a run and fan out one delivery per person."""
    survey = await ctx.session.get(PulseSurvey, ctx.due.payload["survey"])
    if survey is None or not survey.active:
        return
    spec = SurveySpec.model_validate(survey.spec)
    fire = datetime.fromisoformat(ctx.due.period)
    if skips_this_week(spec, fire, await last_run(ctx.session, survey)):
        return
    assert survey.id is not None and ctx.workspace.id is not None
    if spec.audience.kind == "channel":
        await channel_roster(ctx, spec.audience.channel)
    people = await audience(ctx.session, ctx.workspace, spec.audience)
    run = PulseRun(
        workspace_id=ctx.workspace.id,
        survey_id=survey.id,
        period=ctx.due.period,
        opened_at=ctx.now,
        closes_at=fire + timedelta(days=spec.close_after_days),
        invited=len(people),
    )
    if spec.strict:
        run.ticket_key = tickets.new_key(ballot_box.sealer(ctx.settings))
    ctx.session.add(run)
    await ctx.session.flush()
    assert run.id is not None
    if not spec.strict:  # strict: no list of who was asked, let alone who answered
        rows: list[dict[str, object]] = [
            {"run_id": run.id, "person_id": p.id, "answered": []} for p in people
        ]
        for start in range(0, len(rows), 500):
            await insert_ignore(ctx.session, PulseRespondent, rows[start : start + 500])
    default = parse_hours(pulse_settings(ctx.settings).working_hours)
    by_moment: dict[datetime, list[str]] = defaultdict(list)
    for person in people:
        by_moment[working_moment(person, ctx.now, default)].append(str(person.id))
    for when, recipients in sorted(by_moment.items()):
        ctx.fan_out(DELIVER, recipients, {"run": run.id}, run_at=when)
    for days in spec.reminder_days:
        await _at(ctx, REMIND, fire + timedelta(days=days), run, f"reminder +{days}d")
    await _at(ctx, CLOSE, run.closes_at, run, "close")


async def _at(ctx: WorkContext, kind: str, moment: datetime, run: PulseRun, what: str) -> None:
    await add_schedule(
        ctx.session,
        ctx.workspace,
        kind,
        {"type": "date", "at": moment.isoformat()},
        now=ctx.now,
        name=f"pulse run {run.id} {what}",  # not translated: a name in the logs
        payload={"run": run.id},
    )


async def deliver(ctx: WorkContext) -> None:
    """One person's DM with the survey; nothing if the run closed before their hours came."""
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    person = await ctx.session.get(Person, int(ctx.due.recipient))
    if run is None or run.closed_at is not None or person is None:
        return
    survey = await ctx.session.get(PulseSurvey, run.survey_id)
    assert survey is not None
    spec = SurveySpec.model_validate(survey.spec)
    # Written in the person's language (the survey's texts in it, where HR wrote them).
    if not spec.strict:
        ctx.dm(person, lambda: render.invitation(survey, spec, run, person.timezone))
        return
    # The ticket is in the buttons only: the message's row, which names the person, is
    # deleted once sent, and nothing else keeps who got which ticket.
    ticket = tickets.issue(ballot_box.sealer(ctx.settings), run)
    invitation = partial(render.invitation, survey, spec, run, person.timezone, ticket)
    ctx.dm(person, invitation, forget_when_sent=True)


async def close_run(ctx: WorkContext) -> None:
    """Close a run when its time is up."""
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    if run is None or run.closed_at is not None:
        return
    await close(ctx.session, run, ctx.now)
    # The last ballots and the final reshuffle go in a transaction of their own, apart from
    # this one, which deletes the respondent rows and DMs the author.
    ctx.fan_out(SHUFFLE, [f"run:{run.id}"], {"run": run.id})
    survey = await ctx.session.get(PulseSurvey, run.survey_id)
    author = await ctx.session.get(Person, survey.created_by_id) if survey else None
    if survey is not None and author is not None:
        ctx.dm(author, lambda: render.closed_notice(survey, run))


async def sweep(ctx: WorkContext) -> None:
    """Move whatever batches are ready: makes up for a move lost after a click (run on each
    reminder day, in a transaction of its own)."""
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    if run is None or run.closed_at is not None:
        return
    settings = pulse_settings(ctx.settings)
    threshold = max(settings.threshold, settings.comment_threshold)
    await ballot_box.move_ready(
        ctx.session, ballot_box.sealer(ctx.settings), run.id or 0, threshold
    )


async def shuffle(ctx: WorkContext) -> None:
    """A closed run's last ballots, then all its answers rewritten in a fresh random order."""
    await ballot_box.empty(ctx.session, ballot_box.sealer(ctx.settings), ctx.due.payload["run"])


async def close(session: AsyncSession, run: PulseRun, now: datetime) -> None:
    """Stop taking answers and forget who answered: reminders no longer need it.

    What knows who answered (or who had not yet): the respondent rows and the reminders'
    work units and messages. All go; a message still being sent is left to finish (the
    sender owns it), and that is seconds, not the run's lifetime. The thanks for answers are
    deleted once sent (bot.delivery.outbox, forget-when-sent). Spent tickets and the key that signs
    tickets go too: nothing is answered any more.
    """
    run.closed_at = now
    run.ticket_key = None
    session.add(run)
    nudges = await session.exec(select(DueWork).where(DueWork.kind == NUDGE))
    mine = [w.id for w in nudges.all() if w.payload.get("run") == run.id]
    keys = [f"work:{due_id}:0" for due_id in mine]
    for start in range(0, len(keys), 500):
        await session.exec(
            delete(OutboxMessage).where(
                col(OutboxMessage.key).in_(keys[start : start + 500]),
                col(OutboxMessage.status) != "sending",
            )
        )
    for start in range(0, len(mine), 500):
        await session.exec(delete(DueWork).where(col(DueWork.id).in_(mine[start : start + 500])))
    await session.exec(delete(PulseRespondent).where(col(PulseRespondent.run_id) == run.id))
    await session.exec(delete(PulseTicket).where(col(PulseTicket.run_id) == run.id))

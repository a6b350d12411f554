"""Reminders to those who have not answered, within their working hours, unless opted out.

A run's reminder schedule fires at +N days; it fans out one `pulse.nudge` unit per person who
has answered nothing, due at their next working moment. Each unit checks again when it runs:
the person may have answered, opted out or the run closed in the meantime. A reminder never
mentions anyone else, so nobody learns who has answered.
"""

from collections import defaultdict
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.context import WorkContext
from bot.models import Person, PulsePreference, PulseRespondent, PulseRun, PulseSurvey
from handlers.pulse import render
from handlers.pulse.delivery import (
    NUDGE,
    hours_of,
    next_working_moment,
    parse_hours,
    preferences,
    within_working_hours,
)
from handlers.pulse.spec import SurveySpec


async def remind(ctx: WorkContext) -> None:
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    if run is None or run.closed_at is not None:
        return
    assert ctx.workspace.id is not None
    prefs = await preferences(ctx.session, ctx.workspace.id)
    default = parse_hours(ctx.settings.pulse_working_hours)
    silent = await ctx.session.exec(
        select(PulseRespondent, Person)
        .join(Person, Person.id == PulseRespondent.person_id)  # type: ignore[arg-type]
        .where(PulseRespondent.run_id == run.id)
    )
    by_moment: dict[datetime, list[str]] = defaultdict(list)
    for respondent, person in silent.all():
        pref = prefs.get(respondent.person_id)
        if respondent.answered or (pref is not None and not pref.reminders):
            continue
        when = next_working_moment(ctx.now, person.timezone, hours_of(pref, default))
        by_moment[when].append(str(person.id))
    for when, recipients in sorted(by_moment.items()):
        ctx.fan_out(NUDGE, recipients, {"run": run.id}, run_at=when)


async def nudge(ctx: WorkContext) -> None:
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    person = await ctx.session.get(Person, int(ctx.due.recipient))
    if run is None or run.closed_at is not None or person is None:
        return
    respondent = await _respondent(ctx.session, run, person)
    pref = (await preferences(ctx.session, ctx.workspace.id or 0)).get(person.id or 0)
    if respondent is None or respondent.answered or (pref is not None and not pref.reminders):
        return
    hours = hours_of(pref, parse_hours(ctx.settings.pulse_working_hours))
    # Due inside their hours, but a late run (after an outage) must not ping at night: a
    # skipped reminder costs less than a message at 3 a.m.
    if not within_working_hours(ctx.now, person.timezone, hours):
        return
    survey = await ctx.session.get(PulseSurvey, run.survey_id)
    assert survey is not None
    spec = SurveySpec.model_validate(survey.spec)
    ctx.dm(person, render.reminder(survey, spec, run, person.timezone))


async def _respondent(
    session: AsyncSession, run: PulseRun, person: Person
) -> PulseRespondent | None:
    found = await session.exec(
        select(PulseRespondent).where(
            PulseRespondent.run_id == run.id, PulseRespondent.person_id == person.id
        )
    )
    return found.first()


async def set_preference(
    session: AsyncSession,
    person: Person,
    *,
    reminders: bool | None = None,
    hours: tuple[str, str] | None = None,
) -> PulsePreference:
    found = await session.exec(
        select(PulsePreference).where(PulsePreference.person_id == person.id)
    )
    assert person.id is not None
    pref = found.first() or PulsePreference(workspace_id=person.workspace_id, person_id=person.id)
    if reminders is not None:
        pref.reminders = reminders
    if hours is not None:
        pref.work_start, pref.work_end = hours
    session.add(pref)
    return pref

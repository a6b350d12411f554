"""Reminders to those who have not answered, within their working hours, unless opted out.

A run's reminder schedule fires at +N days; it fans out one `pulse.nudge` unit per person who
has answered nothing, due at their next working moment. Each unit checks again when it runs:
the person may have answered, opted out or the run closed in the meantime. A reminder never
mentions anyone else, so nobody learns who has answered.

A strict survey keeps no record of who answered: its reminders go to everyone invited (the
run's delivery units name them), worded for both cases and without buttons, since only the
invitation carries the person's ticket.
"""

from collections import defaultdict
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.context import WorkContext
from bot.kit.preferences import personal_settings, save_personal_settings
from bot.models import Person
from handlers.pulse import render
from handlers.pulse.delivery import NUDGE, SWEEP, parse_hours, working_moment
from handlers.pulse.invitees import invitees
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseRespondent, PulseRun, PulseSurvey

# The name personal settings use for pulse nudges: the prefix of the pulse work kinds.
FEATURE = NUDGE.partition(".")[0]


async def remind(ctx: WorkContext) -> None:
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    if run is None or run.closed_at is not None:
        return
    default = parse_hours(pulse_settings(ctx.settings).working_hours)
    by_moment: dict[datetime, list[str]] = defaultdict(list)
    for person in await _to_remind(ctx.session, run):
        if personal_settings(person).receives(FEATURE):
            by_moment[working_moment(person, ctx.now, default)].append(str(person.id))
    for when, recipients in sorted(by_moment.items()):
        ctx.fan_out(NUDGE, recipients, {"run": run.id}, run_at=when)
    ctx.fan_out(SWEEP, [f"run:{run.id}"], {"run": run.id})


async def _to_remind(session: AsyncSession, run: PulseRun) -> list[Person]:
    """Targeted: who has answered nothing yet. Strict: everyone invited."""
    survey = await session.get(PulseSurvey, run.survey_id)
    assert survey is not None
    if SurveySpec.model_validate(survey.spec).strict:
        return await invitees(session, run)
    silent = await session.exec(
        select(PulseRespondent, Person)
        .join(Person, Person.id == PulseRespondent.person_id)  # type: ignore[arg-type]
        .where(PulseRespondent.run_id == run.id)
    )
    return [person for respondent, person in silent.all() if not respondent.answered]


async def nudge(ctx: WorkContext) -> None:
    run = await ctx.session.get(PulseRun, ctx.due.payload["run"])
    person = await ctx.session.get(Person, int(ctx.due.recipient))
    if run is None or run.closed_at is not None or person is None:
        return
    survey = await ctx.session.get(PulseSurvey, run.survey_id)
    assert survey is not None
    spec = SurveySpec.model_validate(survey.spec)
    if not spec.strict:
        respondent = await _respondent(ctx.session, run, person)
        if respondent is None or respondent.answered:
            return
    # Due inside their hours, but a late run (after an outage) must not ping at night: a
    # skipped reminder costs less than a message at 3 a.m.
    default = parse_hours(pulse_settings(ctx.settings).working_hours)
    if working_moment(person, ctx.now, default) != ctx.now:
        return
    if spec.strict:
        ctx.nudge(person, lambda: render.strict_reminder(spec, run, person.timezone))
    else:
        ctx.nudge(person, lambda: render.reminder(survey, spec, run, person.timezone))


async def _respondent(
    session: AsyncSession, run: PulseRun, person: Person
) -> PulseRespondent | None:
    found = await session.exec(
        select(PulseRespondent).where(
            PulseRespondent.run_id == run.id, PulseRespondent.person_id == person.id
        )
    )
    return found.first()


def set_reminders(person: Person, wanted: bool) -> None:
    chosen = personal_settings(person)
    muted = set(chosen.muted) - {FEATURE} if wanted else set(chosen.muted) | {FEATURE}
    save_personal_settings(person, chosen.model_copy(update={"muted": sorted(muted)}))

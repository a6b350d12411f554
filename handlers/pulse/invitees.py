"""Who a run was sent to, read from its delivery units (one a person, kept as done work): the
only record of a strict survey's invitees, which keeps none of who answered."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.models import DueWork, Person
from handlers.pulse.delivery import DELIVER
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseRun, PulseSurvey


async def invitees(session: AsyncSession, run: PulseRun) -> list[Person]:
    units = await session.exec(
        select(DueWork).where(DueWork.kind == DELIVER, DueWork.period == run.period)
    )
    ids = [int(u.recipient) for u in units.all() if u.payload.get("run") == run.id]
    people = await session.exec(select(Person).where(col(Person.id).in_(ids)))
    return list(people.all())


async def open_strict_runs(
    session: AsyncSession, person: Person
) -> list[tuple[PulseRun, PulseSurvey]]:
    """The open runs of strict surveys `person` was invited to, soonest to close first."""
    found = await session.exec(
        select(PulseRun, PulseSurvey)
        .join(PulseSurvey, col(PulseSurvey.id) == PulseRun.survey_id)
        .where(PulseRun.workspace_id == person.workspace_id, col(PulseRun.closed_at).is_(None))
        .order_by(col(PulseRun.closes_at))
    )
    strict = [
        (run, survey)
        for run, survey in found.all()
        if SurveySpec.model_validate(survey.spec).strict
    ]
    if not strict:
        return []
    units = await session.exec(
        select(DueWork).where(
            DueWork.kind == DELIVER,
            DueWork.recipient == str(person.id),
            col(DueWork.period).in_({run.period for run, _ in strict}),
        )
    )
    invited = {unit.payload.get("run") for unit in units.all()}
    return [(run, survey) for run, survey in strict if run.id in invited]

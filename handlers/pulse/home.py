"""Pulse on a person's home page: the open surveys they were asked in and have not finished,
as lines of what waits for them. A strict survey keeps no record of who answered, so it is
listed while open, saying so."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.home import HomePart
from bot.kit.i18n import format_date, format_number
from bot.kit.wording import list_line
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.pulse import reading
from handlers.pulse.i18n import _, ngettext
from handlers.pulse.invitees import open_strict_runs
from handlers.pulse.tables import PulseRespondent, PulseRun, PulseSurvey


async def _to_answer(session: AsyncSession, person: Person) -> list[tuple[datetime, str]]:
    found = await session.exec(
        select(PulseRespondent, PulseRun, PulseSurvey)
        .join(PulseRun, col(PulseRun.id) == PulseRespondent.run_id)
        .join(PulseSurvey, col(PulseSurvey.id) == PulseRun.survey_id)
        .where(PulseRespondent.person_id == person.id, col(PulseRun.closed_at).is_(None))
    )
    surveys = []
    for respondent, run, survey in found.all():
        questions = len(survey.spec.get("questions", []))
        if len(respondent.answered) < questions:
            progress = _("{answered} of {questions} answered").format(
                answered=format_number(len(respondent.answered)),
                questions=format_number(questions),
            )
            surveys.append((run.closes_at, _line(survey, progress, run, person)))
    for run, survey in await open_strict_runs(session, person):
        asked = len(survey.spec.get("questions", []))
        progress = ngettext(
            "{count} question (strict: whether you answered is kept nowhere)",
            "{count} questions (strict: whether you answered is kept nowhere)",
            asked,
        ).format(count=format_number(asked))
        surveys.append((run.closes_at, _line(survey, progress, run, person)))
    return sorted(surveys)


def _line(survey: PulseSurvey, progress: str, run: PulseRun, person: Person) -> str:
    day = run.closes_at.astimezone(ZoneInfo(person.timezone)).date()
    # Translators: a Babel date pattern of a day and a short month, e.g. "d MMM".
    closes = format_date(day, _("dd MMM"))
    return _("📋 Survey {title}: {progress}, closes {closes}").format(
        title=list_line(reading.title(survey)), progress=progress, closes=closes
    )


async def part(
    session: AsyncSession, workspace: Workspace, person: Person, settings: Settings, now: datetime
) -> HomePart:
    return HomePart(waiting=[line for _, line in await _to_answer(session, person)])

"""What pulse adds to a person's export and erasure.

Anonymous answers name nobody and are out of reach by design. Answers to attributed surveys
are tied to a person only by `pulse_attribution`, no foreign key on the answer itself: the
export reads them joined to their survey, and erasure removes the words of their comments
while the scores still count.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.personal_data import REMOVED, PersonalData, Rows
from bot.models import Person
from handlers.pulse.tables import PulseAnswer, PulseAttribution, PulseRun, PulseSurvey


async def _attributed_answers(
    session: AsyncSession, person: Person, names: Mapping[int, str]
) -> dict[str, Rows]:
    found = await session.exec(
        select(PulseSurvey.title, PulseRun.period, PulseSurvey.spec, PulseAnswer)
        .select_from(PulseAttribution)
        .join(PulseAnswer, col(PulseAttribution.answer_id) == col(PulseAnswer.id))
        .join(PulseRun, col(PulseRun.id) == col(PulseAnswer.run_id))
        .join(PulseSurvey, col(PulseSurvey.id) == col(PulseRun.survey_id))
        .where(PulseAttribution.person_id == person.id)
        .order_by(col(PulseRun.opened_at), col(PulseAnswer.question))
    )
    answers: list[dict[str, Any]] = []
    for title, period, spec, answer in found.all():
        questions = spec.get("questions", [])
        asked = questions[answer.question] if answer.question < len(questions) else {}
        answers.append(
            {
                "survey": title,
                "run": period,
                "question": asked.get("prompt", answer.question),
                "score": answer.score,
                "choice": answer.choice,
                "comment": answer.comment,
                "day": answer.day.isoformat(),
            }
        )
    key = "attributed survey answers"  # not translated: a key of the export file
    return {key: answers} if answers else {}


async def _comments(session: AsyncSession, person_id: int) -> list[str]:
    """Their comments on attributed surveys, which become "(removed)" here."""
    attributed = select(PulseAttribution.answer_id).where(PulseAttribution.person_id == person_id)
    commented = col(PulseAnswer.id).in_(attributed) & col(PulseAnswer.comment).is_not(None)
    comments = await session.exec(select(PulseAnswer.comment).where(commented))
    words = [comment for comment in comments.all() if comment]
    connection = await session.connection()
    await connection.execute(update(PulseAnswer).where(commented).values(comment=REMOVED))
    return words


PERSONAL_DATA = PersonalData(
    labels={
        (
            "pulse_respondent",
            "person_id",
        ): "open pulse runs you were asked in",  # not translated: a key of the export file
        (
            "pulse_survey",
            "created_by_id",
        ): "pulse surveys you created",  # not translated: a key of the export file
        (
            "channel_member",
            "person_id",
        ): "channels you were seen posting in",  # not translated: a key of the export file
    },
    not_exported=frozenset({("pulse_attribution", "person_id")}),
    sections=_attributed_answers,
    personal_tables=frozenset({"channel_member", "pulse_attribution", "pulse_respondent"}),
    words=_comments,
)

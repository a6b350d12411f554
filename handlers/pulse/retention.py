"""Pulse's retention rule: the words of survey comments go after their window; the answers
keep their scores and choices, so results stay as they were. An answer that held nothing but
the comment goes with it. The window is pulse's own setting, RETENTION_SURVEY_COMMENTS_DAYS
(settings.py)."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import col, select

from bot.store.expiry import Expiry, Purge
from bot.wiring.config import Settings
from handlers.pulse.settings import pulse_settings
from handlers.pulse.tables import PulseAnswer


async def _survey_comments(purge: Purge, cutoff: datetime) -> int:
    day = cutoff.date()
    words_only = await purge.delete_where(
        PulseAnswer,
        col(PulseAnswer.day) < day,
        col(PulseAnswer.comment).is_not(None),
        col(PulseAnswer.score).is_(None),
        col(PulseAnswer.choice).is_(None),
    )
    return words_only + await _clear_comments(purge, day)


async def _clear_comments(purge: Purge, day: date) -> int:
    """Drop the words of expired comments that came with a score or a choice."""
    total = 0
    while True:
        async with purge.db.session() as session:
            ids = (
                await session.exec(
                    select(PulseAnswer.id)
                    .where(col(PulseAnswer.day) < day, col(PulseAnswer.comment).is_not(None))
                    .limit(purge.batch)
                )
            ).all()
            if ids:
                await session.exec(
                    update(PulseAnswer).where(col(PulseAnswer.id).in_(ids)).values(comment=None)
                )
        total += len(ids)
        if len(ids) < purge.batch:
            return total


def expiries(settings: Settings) -> Sequence[Expiry]:
    days = pulse_settings(settings).comments_retention_days
    return [Expiry("survey_comments", days, _survey_comments)]

"""What erasing someone ends in Q&A, and whom to tell.

A question they claimed but had not answered would wait for them forever: it opens again,
and the experts it was routed to may claim it from the message they already have. Its
answer window still runs, so it reaches the help channel if nobody does. Nobody is told who
left.
"""

from datetime import datetime
from functools import partial

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.erasure_notice import Notice
from handlers.qa.i18n import _
from handlers.qa.tables import Question, QuestionRoute


def released_for_asker(question_id: int) -> str:
    return _(
        "The colleague answering your question #{id} can no longer answer it. It is open "
        "again for the other experts."
    ).format(id=question_id)


def released_for_expert(question_id: int) -> str:
    return _(
        "Question #{id} needs an answer again: the colleague who claimed it can no longer "
        "answer. Click “I'll answer” on it if you can."
    ).format(id=question_id)


async def end_for(session: AsyncSession, person_id: int, now: datetime) -> list[Notice]:
    """Open again the questions `person_id` claimed and has not answered; who to tell."""
    claimed = await session.exec(
        select(Question).where(Question.claimed_by_id == person_id, Question.status == "claimed")
    )
    notices = []
    for question in claimed.all():
        question.status, question.claimed_by_id, question.claimed_at = "open", None, None
        session.add(question)
        notices.append(Notice(question.asker_id, partial(released_for_asker, question.id or 0)))
        notices += await _reopen_routes(session, question.id or 0, person_id, now)
    return notices


async def _reopen_routes(
    session: AsyncSession, question_id: int, person_id: int, now: datetime
) -> list[Notice]:
    routes = await session.exec(
        select(QuestionRoute).where(QuestionRoute.question_id == question_id)
    )
    notices = []
    for route in routes.all():
        if route.expert_id == person_id:
            route.status, route.decided_at = "declined", now
        elif route.status == "closed":
            # Expired, not pending: the claim window that would expire it has passed.
            route.status, route.decided_at = "expired", now
            notices.append(Notice(route.expert_id, partial(released_for_expert, question_id)))
        session.add(route)
    return notices

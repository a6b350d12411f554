"""Replies in a question's thread: who helps the asker in the open, for the insights graph."""

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import Edge, record_interactions
from bot.models import OutboxMessage, Person, Workspace
from handlers.qa.history import REPLY
from handlers.qa.tables import Question


async def question_in_thread(
    session: AsyncSession, workspace: Workspace, thread: str
) -> Question | None:
    """The question whose thread `thread` is: the platform thread it was asked in, or the
    thread under our post of it (adapters name a thread by its first message's id)."""
    posted = select(OutboxMessage.key).where(
        OutboxMessage.workspace_id == workspace.id,
        OutboxMessage.platform_message_id == thread,
    )
    found = await session.exec(
        select(Question).where(
            Question.workspace_id == workspace.id,
            or_(col(Question.thread) == thread, col(Question.thread_key).in_(posted)),
        )
    )
    return found.first()


async def record_reply(
    session: AsyncSession, question: Question, replier: Person, message_id: str, now: datetime
) -> int:
    """A reply in the thread ties the replier to the asker, once per message; an anonymous
    asker is never tied to anyone."""
    if question.anonymous or replier.id is None:
        return 0
    edge = Edge(replier.id, question.asker_id, REPLY, f"question:{question.id}:reply:{message_id}")
    return await record_interactions(session, question.workspace_id, [edge], now)

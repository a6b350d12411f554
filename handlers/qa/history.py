"""The interaction edges Q&A implies: answerer -> asker, for each accepted answer to a
question not asked anonymously."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.kit.interactions import PastEdge
from handlers.qa.tables import Answer, Question

# The interactions of Q&A: an accepted answer (answerer -> asker), and a reply in a thread
# the bot started (replier -> whoever the thread is about).
ANSWER = "answer"
REPLY = "reply"


async def edges(session: AsyncSession, workspace_id: int) -> list[PastEdge]:
    found = await session.exec(
        select(Answer, Question)
        .join(Question, col(Question.id) == Answer.question_id)
        .where(
            Question.workspace_id == workspace_id,
            Answer.status == "accepted",
            col(Question.anonymous).is_(False),
        )
    )
    return [
        (a.answerer_id, q.asker_id, ANSWER, f"answer:{a.id}", a.decided_at or a.created_at)
        for a, q in found.all()
    ]

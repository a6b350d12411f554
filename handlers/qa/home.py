"""Q&A on a person's home page: the questions they asked that are still open, and the ones
that wait for them (sent to them to claim, or claimed and not yet answered), with a button
that opens a form to ask."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.home import HomePart
from bot.contract.ui import Button, Section
from bot.kit.wording import list_line
from bot.models import Person, Workspace
from bot.wiring.config import Settings
from handlers.qa.i18n import _
from handlers.qa.render import status_name
from handlers.qa.tables import Question, QuestionRoute

RECENT = 5
START = "qa.start"
# A question still waiting on someone: routed, being answered, or answered but not judged.
WAITING = ("open", "claimed", "answered")


def _lines(questions: list[Question]) -> str:
    return "\n".join(f"• #{q.id} ({status_name(q.status)}) {list_line(q.text)}" for q in questions)


async def _asked(session: AsyncSession, person: Person) -> list[Question]:
    found = await session.exec(
        select(Question)
        .where(Question.asker_id == person.id, col(Question.status).in_(WAITING))
        .order_by(col(Question.created_at).desc())
        .limit(RECENT)
    )
    return list(found.all())


async def _claimed(session: AsyncSession, person: Person) -> list[Question]:
    found = await session.exec(
        select(Question)
        .where(Question.claimed_by_id == person.id, col(Question.status) == "claimed")
        .order_by(col(Question.claimed_at))
        .limit(RECENT)
    )
    return list(found.all())


async def _sent_to(session: AsyncSession, person: Person) -> list[Question]:
    """Open questions sent to the person that nobody has claimed yet."""
    found = await session.exec(
        select(Question)
        .join(QuestionRoute, col(QuestionRoute.question_id) == Question.id)
        .where(
            QuestionRoute.expert_id == person.id,
            QuestionRoute.status == "pending",
            Question.status == "open",
        )
        .order_by(col(QuestionRoute.routed_at))
        .limit(RECENT)
    )
    return list(found.all())


async def part(
    session: AsyncSession, workspace: Workspace, person: Person, settings: Settings, now: datetime
) -> HomePart:
    asked, claimed = await _asked(session, person), await _claimed(session, person)
    waiting = [
        *(
            "❓ "
            + _("Question #{id} waits for your answer: {text}").format(
                id=q.id, text=list_line(q.text)
            )
            for q in claimed
        ),
        *(
            "❓ "
            + _("Question #{id} was sent to you, unclaimed: {text}").format(
                id=q.id, text=list_line(q.text)
            )
            for q in await _sent_to(session, person)
        ),
    ]
    mine = _lines(asked) or _("None open. Ask with `/ask your question`.")
    answering = _lines(claimed) or _("None: nobody is waiting on you.")
    return HomePart(
        blocks=[
            Section(text="*❓ " + _("Questions") + "*"),
            Section(text=_("_You asked_") + f"\n{mine}"),
            Section(text=_("_You are answering_") + f"\n{answering}"),
        ],
        waiting=waiting,
        actions=[Button(action_id=START, label="❓ " + _("Ask a question"))],
    )

"""Escalation on the scheduler: each expert's claim window, and the question's answer window.

Both are date schedules written when the question is routed, so they survive restarts and
fire once whichever replica runs them. A deadline that finds the question already moved on
(claimed, answered, declined) does nothing.
"""

from bot.contract.context import WorkContext
from bot.contract.router import Router
from handlers.qa import delivery, render
from handlers.qa.delivery import ANSWER_DUE, CLAIM_DUE, person, settings_of
from handlers.qa.tables import Question, QuestionRoute

router = Router()


def _ref(ctx: WorkContext, name: str) -> int:
    ref = ctx.due.payload.get(name)
    assert isinstance(ref, int)
    return ref


@router.schedule(CLAIM_DUE)
async def claim_due(ctx: WorkContext) -> None:
    """An expert let their claim window pass: ask the next expert in their place."""
    route = await ctx.session.get(QuestionRoute, _ref(ctx, "route"))
    if route is None or route.status != "pending":
        return
    route.status, route.decided_at = "expired", ctx.now
    ctx.session.add(route)
    question = await ctx.session.get(Question, route.question_id)
    if question is None or question.status != "open":
        return
    if await delivery.ask_experts(ctx, question, 1):
        ctx.dm(await person(ctx, question.asker_id), lambda: render.escalated(question))


@router.schedule(ANSWER_DUE)
async def answer_due(ctx: WorkContext) -> None:
    """Still unanswered after the answer window: post it in the help channel."""
    question = await ctx.session.get(Question, _ref(ctx, "question"))
    if question is None or question.status not in ("open", "claimed") or question.posted_at:
        return
    await delivery.post_to_channel(ctx, question)
    settings = settings_of(ctx)
    asker = await person(ctx, question.asker_id)
    ctx.dm(asker, lambda: render.posted_for_asker(question, settings.channel, no_experts=False))

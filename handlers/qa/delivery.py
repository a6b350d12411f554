"""Sending questions where they need to go: expert DMs, the help channel, and the deadlines
that move them on. Shared by the chat handlers and the scheduled escalation."""

from functools import partial

from bot.contract.context import BaseContext, Words
from bot.contract.ui import Destination, Message
from bot.models import Person
from bot.time.scheduler import add_schedule
from handlers.qa import render, routing
from handlers.qa.settings import QaSettings, qa_settings
from handlers.qa.tables import Question, QuestionRoute
from handlers.qa.workhours import add_working_hours

CLAIM_DUE = "qa.claim_due"
ANSWER_DUE = "qa.answer_due"


def settings_of(ctx: BaseContext) -> QaSettings:
    return qa_settings(ctx.workspace, ctx.settings)


async def person(ctx: BaseContext, person_id: int | None) -> Person:
    found = await ctx.session.get(Person, person_id)
    assert found is not None
    return found


def dm_to(someone: Person) -> Destination:
    return Destination(kind="dm", user=someone.platform_user_id)


def channel(name: str) -> Destination:
    return Destination(kind="channel", channel=name)


async def _at(ctx: BaseContext, kind: str, route_or_question: str, ref: int, when: str) -> None:
    await add_schedule(
        ctx.session,
        ctx.workspace,
        kind,
        {"type": "date", "at": when},
        now=ctx.now,
        name=f"{kind} {route_or_question} {ref}",
        payload={route_or_question: ref},
    )


async def ask_experts(ctx: BaseContext, question: Question, count: int) -> list[Person]:
    """DM the next `count` best available experts; each gets a claim deadline of their own."""
    settings = settings_of(ctx)
    ask = routing.Asking(settings, ctx.settings)
    chosen = await routing.choose_experts(ctx.session, ctx.workspace, question, count, ctx.now, ask)
    asker = await person(ctx, question.asker_id)
    for one in chosen:
        expert = one.person
        route = await routing.add_route(
            ctx.session, question, expert, ctx.now, settings.claim_working_hours
        )
        route.message_key = ctx.dm(expert, partial(_request, question, asker, one))
        assert route.id is not None
        await _at(ctx, CLAIM_DUE, "route", route.id, route.due_at.isoformat())
    return [one.person for one in chosen]


def _request(question: Question, asker: Person, chosen: routing.Chosen) -> Message:
    return render.expert_request(question, asker, render.why_asked(question, chosen))


async def start(ctx: BaseContext, question: Question) -> str:
    """Route a new question (or post it if nobody can take it); what to tell the asker."""
    settings = settings_of(ctx)
    experts = await ask_experts(ctx, question, settings.experts_per_question)
    asker = await person(ctx, question.asker_id)
    hours = routing.working_time(asker)
    deadline = add_working_hours(ctx.now, settings.answer_working_days * hours.hours_per_day, hours)
    assert question.id is not None
    await _at(ctx, ANSWER_DUE, "question", question.id, deadline.isoformat())
    await open_thread(ctx, question, asker, len(experts))
    if experts:
        return render.routed(question, experts, in_thread=in_thread(question))
    await post_to_channel(ctx, question)
    return render.posted_for_asker(question, settings.channel, no_experts=True)


async def post_to_channel(ctx: BaseContext, question: Question) -> None:
    """Everyone in the help channel may claim it now; a stale claim is released."""
    settings = settings_of(ctx)
    asker = await person(ctx, question.asker_id)
    question.channel_key = ctx.post(settings.channel, lambda: render.channel_post(question, asker))
    question.posted_at = ctx.now
    if question.status == "claimed":
        claimer = await person(ctx, question.claimed_by_id)
        ctx.dm(claimer, lambda: render.claim_released(question, settings.channel))
        question.status, question.claimed_by_id, question.claimed_at = "open", None, None
    ctx.session.add(question)


async def nobody_left(ctx: BaseContext, question: Question) -> None:
    """The last expert asked passed and nobody else can be asked: rather than leave the
    asker waiting for the answer window, the question goes to the help channel now, as
    when nobody could be asked at all."""
    if question.posted_at is not None or await routing.still_asked(ctx.session, question):
        return
    await post_to_channel(ctx, question)
    asker = await person(ctx, question.asker_id)
    channel = settings_of(ctx).channel
    ctx.dm(asker, lambda: render.nobody_left(question, channel))


async def tell_others(
    ctx: BaseContext, question: Question, routes: list[QuestionRoute], claimer: Person
) -> None:
    """Edit the other experts' DMs: someone has it, no need to look at it any more."""
    for route in routes:
        if route.message_key:
            expert = await person(ctx, route.expert_id)
            ctx.edit(
                route.message_key,
                lambda: render.claimed_by_other(question, claimer),
                dm_to(expert),
                reader=expert,
            )


async def open_thread(ctx: BaseContext, question: Question, asker: Person, experts: int) -> None:
    """A question asked in a channel is shown there once it is routed; its answer will come
    as a reply in that post's thread (or in the platform thread it was asked in)."""
    if question.origin_channel and not question.thread and not question.thread_key:
        question.thread_key = ctx.post(
            question.origin_channel, lambda: render.asked_in_channel(question, asker, experts)
        )
        ctx.session.add(question)


def in_thread(question: Question) -> bool:
    return bool(question.origin_channel and (question.thread or question.thread_key))


def to_asker(ctx: BaseContext, question: Question, asker: Person, message: Words) -> str | None:
    """Send `message` to the asker: in the question's thread when it was asked in a channel,
    else by DM. The thread's channel, or None for a DM, for the answerer's confirmation."""
    channel = question.origin_channel
    if channel and question.thread:
        ctx.post(channel, message, thread=question.thread)
    elif channel and question.thread_key:
        ctx.post_in_thread_of(question.thread_key, channel, message)
    else:
        ctx.dm(asker, message)
        return None
    return channel

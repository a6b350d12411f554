"""Q&A in chat: `/ask`, `/answer`, `/expert`, and the buttons on questions and answers."""

from typing import cast

from bot.contract.context import Context
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import Action, Command, FormSubmit, Message
from bot.contract.router import Router
from bot.kit.language import own_language
from bot.kit.safety import neutralise
from bot.kit.subcommands import Subcommands
from handlers.qa import admin, delivery, escalation, experts, parsing, render, rules, threads
from handlers.qa.delivery import person, settings_of
from handlers.qa.i18n import N_, _
from handlers.qa.tables import Question

router = Router()
router.include(escalation.router)


def _ask_notes(ctx: Context) -> str:
    settings = settings_of(ctx)
    return render.ask_notes(
        settings.claim_working_hours,
        settings.answer_working_days,
        settings.channel,
        # Alternatives, not a list that adds up: no "and" before the last.
        ", ".join(f"`{word}`" for word in parsing.ANONYMOUSLY),
    )


ASK = Subcommands("/ask", summary=render.ASK_SUMMARY, notes=_ask_notes)


@router.command("ask", help=N_("/ask your question: the right colleague answers (`/ask anon …`)"))
async def ask_command(ctx: Context, command: Command) -> None:
    await ASK.run(ctx, command.text)


@ASK.add(
    "",
    usage="your question",
    help=N_("I first show answered questions like yours, then ask the experts"),
)
async def _named(ctx: Context, text: str) -> None:
    # "匿名　…" or "anon: …": the word for anonymously without the plain space that makes it
    # a subcommand.
    anonymous, text = parsing.anonymous_prefix(text)
    await _ask(ctx, text, anonymous=anonymous)


ASK.otherwise(_named)


@ASK.add(
    *parsing.ANONYMOUSLY,
    usage="your question",
    help=N_("the same, but no expert and no channel ever sees your name"),
)
async def _anonymous(ctx: Context, text: str) -> None:
    await _ask(ctx, text, anonymous=True)


@ASK.add(
    "settings",
    usage="[NAME VALUE]",
    help=N_("the Q&A settings; admins and community managers change them"),
)
async def _settings(ctx: Context, rest: str) -> None:
    # "/ask Settings for the VPN?" names no setting: it is a question, kept as it was typed.
    assert isinstance(ctx.event, Command)
    text = ctx.event.text.strip()
    if admin.is_settings(text):
        await admin.settings(ctx, text)
    else:
        await _named(ctx, text)


@router.action("qa.start")
async def start_button(ctx: Context, action: Action) -> None:
    """The home page's "Ask a question" button."""
    ctx.open_form(render.ask_form())


@router.form(render.ASK_FORM)
async def ask_form(ctx: Context, submit: FormSubmit) -> None:
    text = cast(str, submit.values.get("question", ""))
    anonymous = submit.values.get("anonymous") == "yes"
    try:
        await _ask(ctx, text, anonymous=anonymous)
    except UserError as refused:
        raise FormInvalid({"question": refused.text}) from refused


async def _ask(ctx: Context, text: str, *, anonymous: bool) -> None:
    ask = parsing.Ask(parsing.check_question(neutralise(" ".join(text.split()))), anonymous)
    settings = settings_of(ctx)
    # Their language reads a short question the way they mean it ("réunions" is French).
    language = own_language(ctx.actor)
    found = await rules.similar_answered(
        ctx.session, ctx.workspace, ask.text, settings.similarity_threshold, language=language
    )
    event = ctx.event
    origin = (event.channel, event.thread) if event.channel and not event.is_dm else None
    question = await rules.create_question(
        ctx.session, ctx.actor, ask, bool(found), ctx.now, origin, language
    )
    if found:
        ctx.reply(render.suggestions(question, found))
        return
    ctx.reply(await delivery.start(ctx, question))


async def _question(ctx: Context, value: str) -> Question:
    return await rules.get_question(ctx.session, ctx.workspace.id, parsing.question_ref(value))


@router.action("qa.solved")
async def solved_button(ctx: Context, action: Action) -> None:
    question = await _question(ctx, action.value)
    rules.settle_suggestion(question, ctx.actor, solved=True, now=ctx.now)
    ctx.reply(_("Glad that helped! Question #{id} is closed.").format(id=question.id))


@router.action("qa.still_ask")
async def still_ask_button(ctx: Context, action: Action) -> None:
    question = await _question(ctx, action.value)
    rules.settle_suggestion(question, ctx.actor, solved=False, now=ctx.now)
    ctx.reply(await delivery.start(ctx, question))


@router.action("qa.claim")
async def claim_button(ctx: Context, action: Action) -> None:
    question = await _question(ctx, action.value)
    claimed = await rules.claim(ctx.session, question, ctx.actor, ctx.now)
    question = claimed.question
    await delivery.tell_others(ctx, question, claimed.others, ctx.actor)
    if claimed.mine is not None and claimed.mine.message_key:
        ctx.edit(
            claimed.mine.message_key,
            lambda: render.claimed_by_you(question),
            delivery.dm_to(ctx.actor),
            reader=ctx.actor,
        )
    else:
        ctx.reply(render.claimed_by_you(question))
    claimer = ctx.actor
    if question.channel_key:
        ctx.edit(
            question.channel_key,
            lambda: render.channel_claimed(question, claimer),
            delivery.channel(settings_of(ctx).channel),
        )
    asker = await person(ctx, question.asker_id)
    ctx.dm(asker, lambda: render.claim_notice(question, claimer))


@router.action("qa.decline")
async def decline_button(ctx: Context, action: Action) -> None:
    question = await _question(ctx, action.value)
    route = await rules.decline(ctx.session, question, ctx.actor, ctx.now)
    if route.message_key:
        ctx.edit(
            route.message_key,
            lambda: render.declined(question),
            delivery.dm_to(ctx.actor),
            reader=ctx.actor,
        )
    else:
        ctx.reply(render.declined(question))
    if question.status == "open" and not await delivery.ask_experts(ctx, question, 1):
        await delivery.nobody_left(ctx, question)


@router.command("answer", help=N_("/answer 12 your answer: answer a question you claimed"))
async def answer_command(ctx: Context, command: Command) -> None:
    question_id, text = parsing.parse_answer(command.text)
    question = await rules.get_question(ctx.session, ctx.workspace.id, question_id)
    await _answer(ctx, question, text)


@router.action("qa.answer_form")
async def answer_form_button(ctx: Context, action: Action) -> None:
    question = await _question(ctx, action.value)
    if question.claimed_by_id != ctx.actor.id or question.status != "claimed":
        raise UserError(_("You are not answering question #{id}.").format(id=question.id))
    ctx.open_form(render.answer_form(question))


@router.form("qa.answer")
async def answer_form(ctx: Context, submit: FormSubmit) -> None:
    question = await _question(ctx, submit.metadata)
    try:
        await _answer(ctx, question, cast(str, submit.values.get("answer", "")))
    except UserError as refused:
        raise FormInvalid({"answer": refused.text}) from refused


async def _answer(ctx: Context, question: Question, text: str) -> None:
    answer = await rules.record_answer(ctx.session, question, ctx.actor, neutralise(text), ctx.now)
    asker = await person(ctx, question.asker_id)
    shown_to = asker if delivery.in_thread(question) else None
    answerer = ctx.actor
    channel = delivery.to_asker(
        ctx, question, asker, lambda: render.answer_for_asker(question, answer, answerer, shown_to)
    )
    if channel:
        sent = _(
            "Thanks! Your answer to question #{id} is on its way to the asker, in the "
            "question's thread in #{channel}."
        )
    else:
        sent = _("Thanks! Your answer to question #{id} is on its way to the asker by DM.")
    ctx.reply(sent.format(id=question.id, channel=channel))


@router.action("qa.accept")
async def accept_button(ctx: Context, action: Action) -> None:
    question, answer = await rules.judge(
        ctx.session, parsing.question_ref(action.value), ctx.actor, accepted=True, now=ctx.now
    )
    ctx.dm(await person(ctx, answer.answerer_id), lambda: render.accepted_for_answerer(question))
    ctx.reply(_("Great! Question #{id} is answered; thanks for saying so.").format(id=question.id))


@router.action("qa.unhelpful")
async def unhelpful_button(ctx: Context, action: Action) -> None:
    question, answer = await rules.judge(
        ctx.session, parsing.question_ref(action.value), ctx.actor, accepted=False, now=ctx.now
    )
    ctx.dm(await person(ctx, answer.answerer_id), lambda: render.unhelpful_for_answerer(question))
    settings = settings_of(ctx)
    found = await delivery.ask_experts(ctx, question, settings.experts_per_question)
    if not found:
        await delivery.post_to_channel(ctx, question)
    ctx.reply(render.rerouted(question, found, settings.channel))


@router.message()
async def thread_reply(ctx: Context, message: Message) -> None:
    """A message in a question's thread: recorded as help given to the asker."""
    if not message.thread or ctx.actor.is_bot:
        return
    question = await threads.question_in_thread(ctx.session, ctx.workspace, message.thread)
    if question is not None:
        await threads.record_reply(ctx.session, question, ctx.actor, message.message_id, ctx.now)


@router.command(
    "expert", help=N_("/expert add payroll, benefits: topics you can answer questions on")
)
async def expert_command(ctx: Context, command: Command) -> None:
    await experts.command(ctx, command.text)

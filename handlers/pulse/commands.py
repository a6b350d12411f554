"""Pulse surveys in chat: `/pulse`, the survey form, answer buttons and the scheduled work."""

from dataclasses import replace
from functools import partial
from typing import cast

from bot.contract.context import Context
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import Action, Command, FormSubmit, Message
from bot.contract.router import Router
from bot.kit import openai_models
from bot.kit.i18n import current
from bot.kit.preferences import set_working_hours
from bot.kit.roles import Role
from bot.kit.subcommands import Subcommands
from bot.models import Schedule
from handlers.pulse import (
    authoring,
    ballot_box,
    delivery,
    reminders,
    render,
    responses,
    results,
    themes,
)
from handlers.pulse.i18n import N_, _
from handlers.pulse.settings import pulse_settings
from handlers.pulse.spec import SurveySpec
from handlers.pulse.tables import PulseSurvey

router = Router()
router.schedule(delivery.RUN)(delivery.open_run)
router.schedule(delivery.DELIVER)(delivery.deliver)
router.schedule(delivery.CLOSE)(delivery.close_run)
router.schedule(delivery.SHUFFLE)(delivery.shuffle)
router.schedule(delivery.SWEEP)(delivery.sweep)
router.schedule(delivery.REMIND)(reminders.remind)
router.schedule(delivery.NUDGE)(reminders.nudge)


PULSE = Subcommands(
    "/pulse",
    summary=N_(
        "*Pulse surveys*: short, regular questions; answers are anonymous unless a survey "
        "says otherwise."
    ),
    notes=lambda ctx: render.help_notes(
        results.threshold(pulse_settings(ctx.settings).threshold),
        results.threshold(pulse_settings(ctx.settings).comment_threshold),
    ),
)


@router.command("pulse", help=N_("/pulse help: pulse surveys; HR creates them with /pulse new"))
async def pulse_command(ctx: Context, command: Command) -> None:
    await PULSE.run(ctx, command.text)


@PULSE.add("optout", help=N_("stop reminders (surveys still arrive once)"))
async def _optout(ctx: Context, _rest: str) -> None:
    reminders.set_reminders(ctx.actor, False)
    ctx.reply(
        _(
            "You won't get pulse reminders any more. Surveys still arrive once; "
            "`/pulse optin` turns reminders back on."
        )
    )


@PULSE.add("optin", help=N_("restart reminders"))
async def _optin(ctx: Context, _rest: str) -> None:
    reminders.set_reminders(ctx.actor, True)
    ctx.reply(_("Pulse reminders are back on."))


@PULSE.add(
    "hours",
    usage="08:00-16:00",
    help=N_("your working hours; nothing is sent to you outside them"),
)
async def _hours_command(ctx: Context, rest: str) -> None:
    await _hours(ctx, rest)


@PULSE.add("mine", usage="ID", help=N_("your own answers to an attributed survey"))
async def _mine(ctx: Context, rest: str) -> None:
    survey = await authoring.find_survey(ctx.session, ctx.workspace, rest)
    if survey.anonymous:
        raise UserError(
            _(
                "That survey is anonymous: nobody, not even you, can look up which answers "
                "were yours."
            )
        )
    rows = await responses.own_answers(ctx.session, ctx.actor, survey)
    ctx.reply(render.own_answers(survey, rows))


@PULSE.add("new", help=N_("create a survey in a form"), role=Role.HR)
async def _new(ctx: Context, _rest: str) -> None:
    close_after = pulse_settings(ctx.settings).close_after_days
    ctx.open_form(render.new_form(ctx.workspace.timezone, close_after, current()))


@PULSE.add(
    "translate",
    usage="ID LANGUAGE",
    help=N_("the survey's texts in one more language (fr, de, es, ja, en)"),
    role=Role.HR,
)
async def _translate(ctx: Context, text: str) -> None:
    ref, _sep, tag = text.strip().partition(" ")
    survey = await authoring.find_survey(ctx.session, ctx.workspace, ref)
    if not tag.strip():
        raise UserError(_("Try `/pulse translate ID fr`: the survey and a language."))
    spec = SurveySpec.model_validate(survey.spec)
    language = authoring.other_language(spec, tag)
    ctx.open_form(render.translate_form(survey, spec, language))


@PULSE.add("list", help=N_("surveys and their state"), role=Role.HR)
async def _list(ctx: Context, _rest: str) -> None:
    ctx.reply(render.survey_list(await authoring.list_surveys(ctx.session, ctx.workspace)))


@PULSE.add(
    "results",
    usage="ID [by department]",
    help=N_("results of the latest closed run, with trends"),
    role=Role.HR,
)
async def _results(ctx: Context, text: str) -> None:
    ref, _sep, grouping = text.partition(" ")
    grouping = " ".join(grouping.lower().split())
    if grouping not in ("", "by department", "by dept"):  # not translated: what HR types
        raise UserError(_("Try `/pulse results ID` or `/pulse results ID by department`."))
    survey = await authoring.find_survey(ctx.session, ctx.workspace, ref)
    share_in = "" if ctx.event.is_dm else ctx.event.channel
    outcome = await _outcome(ctx, survey, bool(grouping))
    ctx.reply(render.results(survey, outcome, bool(grouping), share_in))


async def _outcome(ctx: Context, survey: PulseSurvey, by_department: bool) -> results.Report:
    spec = SurveySpec.model_validate(survey.spec)
    runs, answers = await responses.gather(ctx.session, survey)
    outcome = results.report(
        spec.questions,
        runs,
        answers,
        scores_min=pulse_settings(ctx.settings).threshold,
        comments_min=pulse_settings(ctx.settings).comment_threshold,
        by_department=by_department,
        language=spec.language,
    )
    if openai_models.configured(ctx.settings):
        parts = []
        for part in outcome.questions:
            written = None
            if part.comments:
                written = await themes.written(ctx.settings, part.question.prompt, part.comments)
            parts.append(replace(part, themes=written) if written else part)
        outcome = replace(outcome, questions=parts)
    return outcome


@PULSE.add("stop", usage="ID", help=N_("no further runs"), role=Role.HR)
async def _stop(ctx: Context, rest: str) -> None:
    survey = await authoring.find_survey(ctx.session, ctx.workspace, rest)
    await authoring.stop(ctx.session, survey)
    ctx.reply(
        _("Pulse survey #{id} will not run again; open runs finish as planned.").format(
            id=survey.id
        )
    )


@router.action("pulse.share", role=Role.HR)
async def share_button(ctx: Context, action: Action) -> None:
    """Post results (as computed now, under the same thresholds) in a channel."""
    ref, _sep, rest = action.value.partition(":")
    channel, _sep, grouping = rest.partition(":")
    survey = await authoring.find_survey(ctx.session, ctx.workspace, ref)
    if not channel:
        raise UserError(_("That button does not say which channel to post in."))
    by_department = grouping == "department"
    outcome = await _outcome(ctx, survey, by_department)
    # In the workspace's language, as every channel post.
    ctx.post(channel, lambda: render.results(survey, outcome, by_department))
    ctx.reply(
        _("Posted the results of pulse survey #{id} in #{channel}.").format(
            id=survey.id, channel=channel
        )
    )


@PULSE.add(
    "export", usage="ID", help=N_("aggregated results of every closed run as CSV"), role=Role.HR
)
async def _export(ctx: Context, rest: str) -> None:
    survey = await authoring.find_survey(ctx.session, ctx.workspace, rest)
    spec = SurveySpec.model_validate(survey.spec)
    runs, answers = await responses.gather(ctx.session, survey)
    table = results.export_rows(
        spec.questions, runs, answers, pulse_settings(ctx.settings).threshold
    )
    ctx.reply(render.export(survey, table))


@PULSE.add(
    "anonymous",
    usage="ID yes|no",
    help=N_("anonymity can be switched off only before the first answer"),
    role=Role.HR,
)
async def _anonymous(ctx: Context, text: str) -> None:
    ref, _sep, answer = text.partition(" ")
    choice = {"yes": True, "on": True, "no": False, "off": False}.get(answer.strip().lower())
    if choice is None:
        raise UserError(_("Try `/pulse anonymous ID yes` or `/pulse anonymous ID no`."))
    survey = await authoring.find_survey(ctx.session, ctx.workspace, ref)
    await authoring.set_anonymous(ctx.session, survey, choice)
    if choice:
        ctx.reply(_("Pulse survey #{id} is now anonymous.").format(id=survey.id))
    else:
        ctx.reply(_("Pulse survey #{id} is now attributed.").format(id=survey.id))


async def _hours(ctx: Context, text: str) -> None:
    try:
        start, end = delivery.parse_hours(text)
    except ValueError as bad:
        raise UserError(
            _("{problem}. Example: `/pulse hours 08:30-16:30`.").format(problem=bad)
        ) from bad
    set_working_hours(ctx.actor, start, end)
    ctx.reply(
        _(
            "Got it: pulse messages and other nudges reach you between {start} and {end} "
            "({timezone}) on your working days. `/rapport settings` shows the rest."
        ).format(start=f"{start:%H:%M}", end=f"{end:%H:%M}", timezone=ctx.actor.timezone)
    )


@router.form("pulse.new", role=Role.HR)
async def new_survey(ctx: Context, submit: FormSubmit) -> None:
    values = {name: str(value) for name, value in submit.values.items()}
    spec = authoring.spec_from_form(values, ctx.settings, current())
    if spec.audience.kind == "channel":
        # The count the author reads is the one the run will reach: the platform's list.
        await delivery.channel_roster(ctx, spec.audience.channel)
    try:
        survey, size = await authoring.create_survey(
            ctx.session, ctx.workspace, spec, ctx.actor, ctx.now
        )
    except authoring.AudienceRefused as refused:
        raise FormInvalid({"audience": refused.text}) from refused
    except UserError as refused:
        raise FormInvalid({"schedule": refused.text}) from refused
    schedule = await ctx.session.get(Schedule, survey.schedule_id)
    ctx.reply(render.created(survey, spec, schedule.next_fire_at if schedule else None, size))


@router.form("pulse.translate", role=Role.HR)
async def translate_survey(ctx: Context, submit: FormSubmit) -> None:
    ref, _sep, language = submit.metadata.partition(":")
    survey = await authoring.find_survey(ctx.session, ctx.workspace, ref)
    values = {name: str(value) for name, value in submit.values.items()}
    spec = authoring.translate(SurveySpec.model_validate(survey.spec), language, values)
    authoring.save_spec(survey, spec)
    ctx.session.add(survey)
    ctx.reply(render.translated(survey, spec, language))


@router.action("pulse.answer")
async def answer_button(ctx: Context, action: Action) -> None:
    ref = responses.parse_ref(action.value)
    seal = ballot_box.sealer(ctx.settings)
    found = await responses.target(ctx.session, ctx.actor, ref, ctx.now, seal)
    if found.question.kind == "text":
        raise UserError(_("That question takes a written answer: use its button."))
    done = await responses.record(ctx.session, ctx.actor, found, ref.answer, ctx.now, seal)
    await _answered(ctx, found, done)


@router.action("pulse.write")
async def write_button(ctx: Context, action: Action) -> None:
    ref = responses.parse_ref(action.value)
    seal = ballot_box.sealer(ctx.settings)
    found = await responses.target(ctx.session, ctx.actor, ref, ctx.now, seal)
    if found.question.kind != "text":
        raise UserError(_("That question is answered with its buttons."))
    metadata = f"{ref.run}:{ref.question}" + (f"::{ref.ticket}" if ref.ticket else "")
    ctx.open_form(render.text_form(found.question, metadata, responses.COMMENT_LIMIT))


@router.form("pulse.text")
async def text_answer(ctx: Context, submit: FormSubmit) -> None:
    ref = responses.parse_ref(submit.metadata)
    seal = ballot_box.sealer(ctx.settings)
    found = await responses.target(ctx.session, ctx.actor, ref, ctx.now, seal)
    if found.question.kind != "text":
        raise UserError(_("That question is answered with its buttons."))
    answer = cast(str, submit.values.get("answer", ""))
    try:
        done = await responses.record(ctx.session, ctx.actor, found, answer, ctx.now, seal)
    except UserError as refused:
        raise FormInvalid({"answer": refused.text}) from refused
    await _answered(ctx, found, done)


async def _answered(ctx: Context, found: responses.Target, done: responses.Receipt) -> None:
    """Update the survey card in place with what is answered and what is left (a thanks
    where the platform did not say which card it was), as a message deleted once sent and
    dated to the day only; then, for an anonymous answer, empty the ballot box once the
    click has committed, if enough wait."""
    answered = await responses.answered_so_far(ctx.session, ctx.actor, found)
    card = render.invitation(
        found.survey, found.spec, found.run, ctx.actor.timezone, found.ticket, answered
    )
    ctx.replace(card, otherwise=render.receipt(done), forget_when_sent=True)
    if not found.survey.anonymous:
        return
    move = partial(
        ballot_box.move_ready,
        seal=ballot_box.sealer(ctx.settings),
        run_id=found.run.id or 0,
        threshold=ballot_box.batch_size(ctx.settings),
    )
    ctx.after_commit(move)


@router.message()
async def channel_member(ctx: Context, message: Message) -> None:
    """Whoever posts in a channel counts as its member for channel audiences."""
    if not message.is_dm and message.channel:
        await delivery.remember_channel_member(
            ctx.session, ctx.workspace, message.channel, ctx.actor, ctx.now
        )

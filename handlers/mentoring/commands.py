"""Mentoring in chat: `/mentor`, the profile form, the answer buttons and the scheduled work.

What goes to someone else than the actor is handed over as a function that writes it, so
that it is written in its reader's language (the workspace's for a group DM)."""

from functools import partial

from bot.contract.context import BaseContext, Context, WorkContext
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import MENTION, Action, Command, FormSubmit
from bot.contract.router import Router
from bot.contract.ui import Destination
from bot.kit.i18n import format_datetime
from bot.kit.people import workspace_admins
from bot.kit.roles import Role
from bot.kit.subcommands import Subcommands
from bot.models import Person
from handlers.mentoring import nudges, profiles, render, rounds
from handlers.mentoring.i18n import N_, _
from handlers.mentoring.settings import mentoring_settings
from handlers.mentoring.tables import Answer, MentorPair

router = Router()


MENTOR = Subcommands(
    "/mentor",
    summary=render.SUMMARY,
    notes=lambda ctx: render.mentor_notes(
        mentoring_settings(ctx.workspace, ctx.settings).checkin_days
    ),
)


@router.command(
    "mentor", help=N_("/mentor: your mentoring profile; matches, check-ins (`/mentor help`)")
)
async def mentor_command(ctx: Context, command: Command) -> None:
    await MENTOR.run(ctx, command.text)


@MENTOR.add("", help=render.PROFILE_HELP)
async def _profile(ctx: Context, __: str) -> None:
    profile = await profiles.profile_of(ctx.session, ctx.actor)
    ctx.open_form(render.profile_form(profile, ctx.actor.timezone))


@router.form("mentor.profile")
async def profile_form(ctx: Context, submit: FormSubmit) -> None:
    def value(name: str) -> str:
        found = submit.values.get(name, "")
        return found if isinstance(found, str) else ",".join(found)

    try:
        given = profiles.parse_profile(
            value("role"), value("skills"), value("goals"), value("availability"), value("capacity")
        )
    except profiles.ProfileInvalid as invalid:
        raise FormInvalid({invalid.field: invalid.text}) from invalid
    profile = await profiles.save_profile(ctx.session, ctx.actor, given, ctx.now)
    saved = _("Saved. You'll be matched in the next round.")
    ctx.reply(saved + "\n" + render.profile_summary(profile, []))


@MENTOR.add("me", help=N_("your profile and current matches"))
async def _me(ctx: Context, __: str) -> None:
    profile = await profiles.profile_of(ctx.session, ctx.actor)
    pairs = []
    for pair in await rounds.my_pairs(ctx.session, ctx.actor):
        other_id = pair.mentee_id if pair.mentor_id == ctx.actor.id else pair.mentor_id
        other = await ctx.session.get(Person, other_id)
        if other is not None:
            pairs.append((pair, other))
    ctx.reply(render.profile_summary(profile, pairs))


@MENTOR.add("avoid", usage="@name", help=N_("never be matched with them (they are not told)"))
async def _avoid(ctx: Context, rest: str) -> None:
    ids = MENTION.findall(rest)
    if len(ids) != 1:
        raise UserError(_("Usage: `/mentor avoid @name`: you will never be matched with them."))
    other = await ctx.person(ids[0])
    if other is None:
        raise UserError(_("I couldn't find that person in this workspace."))
    if other.id == ctx.actor.id:
        raise UserError(_("You will never be matched with yourself anyway."))
    added = await profiles.avoid(ctx.session, ctx.actor, other, ctx.now)
    done = (
        _("You won't be matched with {name}. They are not told.")
        if added
        else _("You won't be matched with {name} (already on your list). They are not told.")
    )
    ctx.reply(done.format(name=other.display_name))


@MENTOR.add("off", help=N_("leave mentoring; your current matches stay"))
async def _off(ctx: Context, __: str) -> None:
    profile = await profiles.profile_of(ctx.session, ctx.actor)
    if profile is None or not profile.active:
        raise UserError(_("You're not taking part in mentoring. `/mentor` opens the form."))
    profile.active = False
    ctx.reply(_("You won't be matched in new rounds. `/mentor` and Save to join again."))


@MENTOR.add(
    "schedule",
    usage="weekly|monthly|off",
    help=N_("runs rounds on a schedule; a crontab line works too (`/mentor schedule 0 9 1 * *`)"),
    role=Role.ADMIN,
)
async def _schedule(ctx: Context, text: str) -> None:
    schedule = await rounds.set_round_schedule(ctx.session, ctx.workspace, text, ctx.now)
    if schedule is None:
        ctx.reply(_("Scheduled mentoring rounds are off; `/mentor round` still starts one."))
        return
    assert schedule.next_fire_at is not None
    ctx.reply(
        _(
            "Mentoring rounds are scheduled ({schedule}). The next one is on {when} ({zone})."
        ).format(
            schedule=text.strip(),
            when=format_datetime(schedule.next_fire_at, "short", ctx.workspace.timezone),
            zone=ctx.workspace.timezone,
        )
    )


async def announce_round(ctx: BaseContext) -> None:
    """Run a round and introduce every new pair; whoever started it (or, for a scheduled
    round, every admin) gets a summary."""
    checkin = mentoring_settings(ctx.workspace, ctx.settings).checkin_days
    result = await rounds.run_round(ctx.session, ctx.workspace, ctx.now, checkin, ctx.settings)
    for intro in result.introductions:
        mentor, mentee, pair = intro.mentor, intro.mentee, intro.pair
        pair.intro_key = ctx.group_dm(
            [mentor, mentee],
            partial(render.introduction, pair, mentor, mentee, intro.availability),
        )
    if isinstance(ctx, Context):
        ctx.reply(render.round_summary(result))
    else:
        for person in await workspace_admins(ctx.session, ctx.workspace):
            ctx.dm(person, lambda: render.round_summary(result))


@MENTOR.add("round", help=N_("matches now"), role=Role.ADMIN)
async def _round(ctx: Context, __: str) -> None:
    await announce_round(ctx)


@router.schedule(rounds.ROUND_KIND)
async def scheduled_round(ctx: WorkContext) -> None:
    await announce_round(ctx)


async def _answer(ctx: Context, action: Action, choice: Answer) -> None:
    found = await rounds.pair_for(ctx.session, ctx.actor, action.value)
    checkin = mentoring_settings(ctx.workspace, ctx.settings).checkin_days
    rounds.answer(found, choice, ctx.now, checkin)
    pair = found.pair
    other = await ctx.session.get(Person, found.other_id)
    assert other is not None
    await _show_answers(ctx, pair)
    if choice == "declined":
        ctx.reply(_("Declined. No hard feelings: you'll be matched with someone else next round."))
        ctx.dm(other, lambda: render.declined_notice(ctx.actor))
    elif pair.status == "active":
        ctx.reply(render.on(other, checkin))
        ctx.dm(other, lambda: render.on(ctx.actor, checkin))
    else:
        ctx.reply(
            _("Accepted. I'll let you know when {name} answers too.").format(
                name=other.display_name
            )
        )


async def _show_answers(ctx: Context, pair: MentorPair) -> None:
    """Edit the introduction in place: the answers so far, and no buttons once decided."""
    if pair.intro_key is None:
        return
    mentor, mentee = await _sides(ctx, pair)
    availability = {
        person.id or 0: profile.availability if profile else ""
        for person in (mentor, mentee)
        for profile in [await profiles.profile_of(ctx.session, person)]
    }
    users = [mentor.platform_user_id, mentee.platform_user_id]
    ctx.edit(
        pair.intro_key,
        lambda: render.introduction(pair, mentor, mentee, availability),
        Destination(kind="group", users=users),
    )


@router.action("mentor.accept")
async def accept(ctx: Context, action: Action) -> None:
    await _answer(ctx, action, "accepted")


@router.action("mentor.decline")
async def decline(ctx: Context, action: Action) -> None:
    await _answer(ctx, action, "declined")


def _split(value: str) -> tuple[str, str]:
    pair_id, _, choice = value.partition(":")
    return pair_id, choice


@router.action("mentor.met")
async def met(ctx: Context, action: Action) -> None:
    pair_id, choice = _split(action.value)
    found = await rounds.pair_for(ctx.session, ctx.actor, pair_id)
    await nudges.record_meeting(ctx.session, found, choice == "yes", ctx.now)
    ctx.reply(
        _("Great, thanks!") if choice == "yes" else _("Thanks. Maybe next time: no pressure.")
    )


@router.action("mentor.feedback")
async def feedback(ctx: Context, action: Action) -> None:
    pair_id, score = _split(action.value)
    found = await rounds.pair_for(ctx.session, ctx.actor, pair_id)
    nudges.record_feedback(found, int(score) if score.isdigit() else 0, ctx.now)
    ctx.reply(_("Thank you for the feedback."))


@router.schedule(rounds.SWEEP_KIND)
async def check_ins(ctx: WorkContext) -> None:
    settings = mentoring_settings(ctx.workspace, ctx.settings)
    result = await nudges.sweep(
        ctx.session,
        ctx.workspace,
        ctx.now,
        checkin_days=settings.checkin_days,
        feedback_weeks=settings.feedback_weeks,
        pause_after=settings.pause_after,
    )
    for pair in result.nudged:
        mentor, mentee = await _sides(ctx, pair)
        write = render.check_in if pair.status == "active" else render.reminder
        ctx.nudge(mentor, partial(write, pair, mentee))
        ctx.nudge(mentee, partial(write, pair, mentor))
    for pair in result.feedback:
        mentor, mentee = await _sides(ctx, pair)
        ctx.nudge(mentor, partial(render.feedback_request, pair, mentee))
        ctx.nudge(mentee, partial(render.feedback_request, pair, mentor))
    if result.paused:
        admins = await workspace_admins(ctx.session, ctx.workspace)
        for pair in result.paused:
            mentor, mentee = await _sides(ctx, pair)
            for admin in admins:
                ctx.dm(admin, partial(render.paused_notice, pair, mentor, mentee))


async def _sides(ctx: BaseContext, pair: MentorPair) -> tuple[Person, Person]:
    mentor = await ctx.session.get(Person, pair.mentor_id)
    mentee = await ctx.session.get(Person, pair.mentee_id)
    assert mentor is not None and mentee is not None
    return mentor, mentee

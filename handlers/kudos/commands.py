"""Kudos in chat: `/kudos`, the kudos form, reaction kudos and the Undo button."""

from typing import cast

from bot.contract.context import Context
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import Action, Command, FormSubmit, Reaction
from bot.contract.router import Router
from bot.contract.ui import Destination, Form, Input, Option
from bot.kit.i18n import format_list
from bot.kit.safety import neutralise, truncate
from bot.kit.subcommands import Subcommands
from bot.models import Person
from handlers.kudos import admin, render, rules
from handlers.kudos.i18n import N_, _, ngettext
from handlers.kudos.parsing import find_tags, mentioned_ids, parse_request, replace_mentions
from handlers.kudos.settings import KudosSettings, kudos_settings
from handlers.kudos.tables import Kudos

router = Router()

WINDOWS: tuple[rules.Window, ...] = ("week", "month", "all")


def _settings(ctx: Context) -> KudosSettings:
    return kudos_settings(ctx.workspace, ctx.settings)


KUDOS = Subcommands(
    "/kudos",
    summary=render.SUMMARY,
    notes=lambda ctx: render.help_notes(_settings(ctx)),
)


@router.command("kudos", help=N_("/kudos @name what they did #value: thank a colleague"))
async def kudos_command(ctx: Context, command: Command) -> None:
    await KUDOS.run(ctx, command.text)


@KUDOS.add("", help=N_("open the kudos form"))
async def _open_form(ctx: Context, _: str) -> None:
    ctx.open_form(await _form(ctx))


@router.action("kudos.start")
async def start_button(ctx: Context, action: Action) -> None:
    """The home page's "Give kudos" button."""
    ctx.open_form(await _form(ctx))


@KUDOS.add("me", help=N_("what you have received and given, your top values, what is left today"))
async def _me(ctx: Context, _: str) -> None:
    settings = _settings(ctx)
    numbers = await rules.stats(ctx.session, ctx.actor, ctx.now)
    left = await rules.allowance(ctx.session, ctx.actor, settings, ctx.now)
    ctx.reply(render.my_stats(ctx.actor, numbers, left))


@KUDOS.add(
    "leaderboard",
    "top",
    usage="[week|month|all] [givers]",
    help=N_("top receivers (or givers)"),
)
async def _leaderboard(ctx: Context, rest: str) -> None:
    words = rest.lower().split()
    if not _settings(ctx).leaderboards:
        raise UserError(_("Leaderboards are switched off in this workspace."))
    unknown = [w for w in words if w not in {*WINDOWS, "givers", "receivers"}]
    if unknown:
        raise UserError(
            _("Try `/kudos leaderboard week`, `month` or `all`, optionally with `givers`.")
        )
    window: rules.Window = next((w for w in WINDOWS if w in words), "week")
    givers = "givers" in words
    since = rules.window_start(ctx.now, ctx.actor.timezone, window)
    rows = await rules.leaderboard(ctx.session, ctx.workspace, since, givers=givers)
    ctx.reply(render.leaderboard(rows, window, givers))


@KUDOS.add("undo", help=N_("withdraw your last kudos"))
async def _undo_last(ctx: Context, _: str) -> None:
    await _undo(ctx, None)


KUDOS.add(
    "values",
    usage="[add NAME description | remove NAME | required on|off]",
    help=N_("the company values you can tag; admins add, remove and require them"),
)(admin.values)
KUDOS.add("settings", usage="[NAME VALUE]", help=N_("the kudos settings; admins change them"))(
    admin.settings
)


@KUDOS.otherwise
async def _give_typed(ctx: Context, text: str) -> None:
    try:
        await _give_from_text(ctx, text)
    except UserError as refused:
        # Slash commands do not keep what was typed: hand it back so nothing is lost.
        echo = neutralise(replace_mentions(text, {}))
        wrote = _("What you wrote: {command}").format(command=f"/kudos {echo}")
        raise UserError(f"{refused.text}\n{wrote}") from refused


async def _give_from_text(ctx: Context, text: str) -> None:
    request = parse_request(text)
    if request.unknown:
        missing = format_list("@" + name for name in request.unknown)
        raise UserError(
            _(
                "I couldn't find {names} in this workspace. Check the spelling "
                "and mention them with @."
            ).format(names=missing)
        )
    if not request.recipients:
        raise UserError(
            _(
                "Who is it for? Start with a mention, like `/kudos @ann thanks for the demo`. "
                "`/kudos help` shows everything kudos can do."
            )
        )
    recipients = await _people(ctx, request.recipients)
    await _give(ctx, recipients, request.reason, request.tags)


async def _people(ctx: Context, ids: list[str]) -> list[Person]:
    found = [(uid, await ctx.person(uid)) for uid in ids]
    missing = [uid for uid, person in found if person is None]
    if missing:
        raise rules.KudosRefused(
            _("I couldn't find {names} in this workspace.").format(names=format_list(missing)),
            "to",
        )
    return [person for _, person in found if person is not None]


async def _give(ctx: Context, recipients: list[Person], reason: str, tags: list[str]) -> None:
    settings = _settings(ctx)
    giver = ctx.actor
    rules.check_recipients(giver, recipients)
    names = {uid: p.display_name for uid in mentioned_ids(reason) if (p := await ctx.person(uid))}
    reason = rules.check_reason(replace_mentions(reason, names), settings)
    value = await rules.choose_value(ctx.session, ctx.workspace, tags, settings)
    left = await rules.allowance(ctx.session, giver, settings, ctx.now)
    rules.check_allowance(left, len(recipients))
    given = await rules.record(ctx.session, giver, recipients, reason, value, ctx.now)
    _announce(ctx, settings, giver, recipients, given, reason, value)
    left.left -= len(given)
    ctx.reply(render.confirmation(given, recipients, left, settings))


def _announce(
    ctx: Context,
    settings: KudosSettings,
    giver: Person,
    recipients: list[Person],
    given: list[Kudos],
    reason: str,
    value: str | None,
) -> None:
    announcement = ctx.post(
        settings.channel, lambda: render.announcement(giver, recipients, reason, value)
    )
    for kudos, receiver in zip(given, recipients, strict=True):
        kudos.announcement_key = announcement
        kudos.notice_key = ctx.dm(receiver, lambda: render.received_notice(giver, reason, value))


async def _form(ctx: Context) -> Form:
    settings = _settings(ctx)
    values = await rules.company_values(ctx.session, ctx.workspace)
    inputs = [
        Input(name="to", label=_("Who is it for?"), kind="users"),
        Input(
            name="reason",
            label=_("What did they do?"),
            kind="textarea",
            max_length=settings.max_reason_length,
        ),
    ]
    if values:
        inputs.append(
            Input(
                name="value",
                label=_("Which value does it show?"),
                kind="select",
                required=settings.values_required,
                options=[Option(value=v.tag, label=f"#{v.tag}") for v in values],
            )
        )
    return Form(form_id="kudos.give", title=_("Give kudos"), inputs=inputs, submit_label=_("Send"))


@router.form("kudos.give")
async def kudos_form(ctx: Context, submit: FormSubmit) -> None:
    to = submit.values.get("to", [])
    ids = [to] if isinstance(to, str) else list(to)
    reason = cast(str, submit.values.get("reason", ""))
    value = cast(str, submit.values.get("value", "") or "")
    try:
        recipients = await _people(ctx, [i for i in ids if i])
        await _give(ctx, recipients, reason, [value.lower().lstrip("#")] if value else [])
    except rules.KudosRefused as refused:
        raise FormInvalid({refused.field: refused.text}) from refused


@router.reaction()
async def kudos_reaction(ctx: Context, reaction: Reaction) -> None:
    settings = _settings(ctx)
    if reaction.emoji.split("::")[0] != settings.emoji.strip(":"):
        return
    author = await ctx.person(reaction.message_author)
    giver = ctx.actor
    if author is None or author.id == giver.id or author.is_bot:
        return
    if await rules.already_given(ctx.session, giver, author, reaction.message_id):
        return
    left = await rules.allowance(ctx.session, giver, settings, ctx.now)
    rules.check_allowance(left, 1)
    names = {
        uid: p.display_name
        for uid in mentioned_ids(reaction.message_text)
        if (p := await ctx.person(uid))
    }
    quoted = truncate(" ".join(replace_mentions(reaction.message_text, names).split()), 200)
    reason = rules.check_reason(
        _("for their message “{quoted}”").format(quoted=quoted)
        if quoted
        else _("for their message"),
        settings.model_copy(update={"min_reason_length": 0}),
    )
    tags = find_tags(reaction.message_text)
    values = {v.tag for v in await rules.company_values(ctx.session, ctx.workspace)}
    value = next((t for t in tags if t in values), None)
    given = await rules.record(
        ctx.session,
        giver,
        [author],
        reason,
        value,
        ctx.now,
        source="reaction",
        source_ref=reaction.message_id,
    )
    _announce(ctx, settings, giver, [author], given, reason, value)


@router.action("kudos.undo")
async def kudos_undo_button(ctx: Context, action: Action) -> None:
    await _undo(ctx, action.value or None)


async def _undo(ctx: Context, batch: str | None) -> None:
    settings = _settings(ctx)
    withdrawn = await rules.undo(ctx.session, ctx.actor, batch, ctx.now, settings.undo_minutes)
    giver = ctx.actor
    for kudos in withdrawn:
        receiver = await ctx.session.get(Person, kudos.receiver_id)
        if kudos.notice_key and receiver:
            ctx.edit(
                kudos.notice_key,
                lambda: render.withdrawn(giver),
                _dm_to(receiver),
                reader=receiver,
            )
    if withdrawn[0].announcement_key:
        ctx.edit(
            withdrawn[0].announcement_key,
            lambda: render.withdrawn(giver),
            _channel(settings.channel),
        )
    ctx.reply(
        ngettext(
            "Withdrawn: {count} kudos. Your allowance is back.",
            "Withdrawn: {count} kudos. Your allowance is back.",
            len(withdrawn),
        ).format(count=len(withdrawn))
    )


def _dm_to(person: Person) -> Destination:
    return Destination(kind="dm", user=person.platform_user_id)


def _channel(channel: str) -> Destination:
    return Destination(kind="channel", channel=channel)

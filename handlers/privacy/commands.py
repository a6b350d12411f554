"""`/rapport my-data`, `/rapport forget-me` and `/rapport forget @name`: see, export and erase."""

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import Action
from bot.contract.router import Router
from bot.contract.ui import Actions, Attachment, Button, Destination, Message, text_message
from bot.delivery.intake import forget_waiting
from bot.kit.audit import record
from bot.kit.personal_data import PersonalData
from bot.kit.roles import Role
from bot.models import Person
from handlers.privacy.erasure import erase
from handlers.privacy.export import collect
from handlers.privacy.i18n import _

router = Router()

FORGET = "privacy.forget"
CANCEL = "privacy.cancel"


def _contributions(ctx: Context) -> list[PersonalData]:
    """What every feature adds to export and erasure (their Feature, bot/contract/feature.py)."""
    return [feature.personal_data for feature in ctx.bot.router.features]


async def my_data(ctx: Context) -> None:
    person = ctx.actor
    export = await collect(ctx.session, person, ctx.now, _contributions(ctx))
    file = Attachment(
        name=f"rapport-my-data-{ctx.now:%Y-%m-%d}.json",
        media_type="application/json",
        data=export.json_bytes(),
    )
    assert person.id is not None
    await record(
        ctx.session, person.workspace_id, person.id, "privacy.export", ctx.now, subject_id=person.id
    )
    ctx.dm(person, Message(text=export.summary, attachments=[file]))
    if not ctx.event.is_dm:
        ctx.reply(_("I've sent you a DM with everything I hold about you."))


def forget_me(ctx: Context) -> None:
    ctx.reply(_confirmation(ctx.actor, _("Erase everything Rapport holds about you?")))


async def forget(ctx: Context, text: str) -> None:
    mentioned = [word for word in text.split() if word.startswith("<@")]
    if len(mentioned) != 1:
        raise UserError(_("Usage: `/rapport forget @name` (one person)."))
    person = await ctx.person(mentioned[0][2:-1])
    if person is None or person.id == ctx.actor.id:
        raise UserError(
            _("I couldn't find that person here.")
            if person is None
            else _("To erase your own data use `/rapport forget-me`.")
        )
    question = _("Erase everything Rapport holds about {name}?").format(name=person.display_name)
    ctx.reply(_confirmation(person, question))


def _confirmation(person: Person, question: str) -> Message:
    # Translators: “a former colleague” is stored in English, as the code writes it.
    note = _(
        "Their profile, preferences and memberships are deleted; kudos, ideas, votes and "
        "answers stay for the counts but show as “a former colleague”, without their words. "
        "This cannot be undone."
    )
    buttons = Actions(
        elements=[
            Button(action_id=FORGET, label=_("Erase"), value=str(person.id), style="danger"),
            Button(action_id=CANCEL, label=_("Cancel")),
        ]
    )
    return text_message(_("{question} {note}").format(question=question, note=note), buttons)


@router.action(FORGET)
async def confirmed(ctx: Context, action: Action) -> None:
    person = await ctx.session.get(Person, int(action.value)) if action.value.isdigit() else None
    if person is None or person.workspace_id != ctx.workspace.id:
        ctx.reply(_("There is nothing left to erase."))
        return
    own = person.id == ctx.actor.id
    if not own:
        ctx.require(Role.ADMIN)
    admin_id = ctx.actor.id
    # What they did that is stored but not handled yet holds their words (bot/delivery/intake.py).
    workspace = ctx.workspace
    await forget_waiting(
        ctx.bot.db, workspace.platform, workspace.external_id, person.platform_user_id
    )
    done = await erase(ctx.session, person, ctx.now, _contributions(ctx))
    for post in done.reposts:
        ctx.edit(post.key, post.message, post.destination)
    await record(
        ctx.session,
        person.workspace_id,
        # Someone erasing themselves is now the stand-in, as everywhere else.
        done.stand_in_id if own else admin_id,
        "privacy.forget-me" if own else "privacy.forget",
        ctx.now,
        subject_id=done.stand_in_id,
        deleted=done.rows_deleted,
        kept_anonymised=done.rows_kept,
        reworded=done.rows_reworded,
    )
    for notice in done.notices:
        other = await ctx.session.get(Person, notice.person_id)
        if other is not None:
            ctx.dm(other, notice.text)
    if own:
        _farewell(
            ctx, _("Done: everything Rapport held about you is erased. Goodbye, and thank you.")
        )
    else:
        # Their name is not repeated: this reply is stored too, and must not name them.
        ctx.reply(_("Done: erased. What they left now reads “a former colleague”."))


@router.action(CANCEL)
async def cancelled(ctx: Context, action: Action) -> None:
    ctx.reply(_("Nothing was erased."))


def _farewell(ctx: Context, text: str) -> None:
    """The last message to someone just erased: its outbox row goes once it is sent, so no
    row is left that names them."""
    event = ctx.event
    kind = "dm" if event.is_dm or not event.channel else "ephemeral"
    destination = Destination(
        kind=kind, channel=event.channel, user=event.actor.id, reply_token=event.reply_token
    )
    ctx.outbox.add(destination, text_message(text), forget_when_sent=True)

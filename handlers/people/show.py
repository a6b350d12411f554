"""`/rapport people show @name`: one person's directory record and where each field came from."""

from sqlmodel import func, select

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import MENTION
from bot.kit.audit import record
from bot.kit.directory import Source, is_pending, source_of
from bot.kit.i18n import Text
from bot.models import Person
from handlers.people.csv_import import is_email
from handlers.people.i18n import N_, _
from handlers.people.tables import ScimUser

USAGE = N_("Usage: `/rapport people show @name` (or their e-mail).")
SOURCE_NAMES: dict[Source, Text] = {
    # Translators: where a field of someone's record came from: an HR file imported by an admin.
    Source.HR: N_("HR file"),
    Source.SCIM: "SCIM",
    # Translators: what Slack, Teams or Discord say of the person.
    Source.PLATFORM: N_("platform profile"),
    Source.TYPED: N_("typed in chat"),
}
FIELD_NAMES: dict[str, Text] = {
    "name": N_("name"),
    "email": N_("email"),
    "department": N_("department"),
    "manager": N_("manager"),
    "location": N_("location"),
    "timezone": N_("timezone"),
}


async def show_person(ctx: Context, text: str) -> None:
    person = await _named(ctx, text)
    assert ctx.workspace.id is not None
    await record(
        ctx.session, ctx.workspace.id, ctx.actor.id, "people.show", ctx.now, subject_id=person.id
    )
    manager = await ctx.session.get(Person, person.manager_id) if person.manager_id else None
    scim = (await ctx.session.exec(select(ScimUser).where(ScimUser.person_id == person.id))).first()
    lines = [f"*{person.display_name}* ({_state(person)})"]
    shown = {
        "name": person.display_name,
        "email": person.email,
        "department": person.department,
        "manager": manager.display_name if manager else None,
        "location": person.location,
        "timezone": person.timezone,
    }
    lines += [_field(person, field, value) for field, value in shown.items()]
    if not person.active:
        source = source_of(person, "active")
        lines.append(
            _("deactivated — from {source}").format(source=SOURCE_NAMES[source])
            if source is not None
            else _("deactivated")
        )
    if scim is not None:
        lines.append(
            _("SCIM: userName {user_name}, externalId {external_id}").format(
                user_name=scim.user_name, external_id=scim.external_id or "—"
            )
        )
    ctx.reply("\n".join(lines))


def _state(person: Person) -> str:
    if not person.active:
        return _("deactivated")
    return _("not seen on the platform yet") if is_pending(person) else _("active")


def _field(person: Person, field: str, value: str | None) -> str:
    """One line of the record: the field, its value and the source that set it."""
    name, source = FIELD_NAMES[field], source_of(person, field)
    if source is None:
        return _("{field}: {value}").format(field=name, value=value or "—")
    named = SOURCE_NAMES[source]
    if value:
        return _("{field}: {value} — from {source}").format(field=name, value=value, source=named)
    # Translators: a field a source emptied, e.g. "manager: — (emptied by HR file)".
    return _("{field}: — (emptied by {source})").format(field=name, source=named)


async def _named(ctx: Context, text: str) -> Person:
    ids = MENTION.findall(text)
    words = MENTION.sub(" ", text).split()
    if len(ids) == 1 and not words:
        person = await ctx.person(ids[0])
    elif not ids and len(words) == 1 and is_email(words[0]):
        found = await ctx.session.exec(
            select(Person).where(
                Person.workspace_id == ctx.workspace.id,
                func.lower(Person.email) == words[0].lower(),
            )
        )
        person = found.first()
    else:
        raise UserError(str(USAGE))
    if person is None:
        raise UserError(_("I couldn't find that person in this workspace."))
    return person

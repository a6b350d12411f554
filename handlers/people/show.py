"""`/rapport people show @name`: one person's directory record and where each field came from."""

from sqlmodel import func, select

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import MENTION
from bot.kit.audit import record
from bot.kit.directory import Source, is_pending, source_of
from bot.models import Person
from handlers.people.csv_import import is_email
from handlers.people.tables import ScimUser

USAGE = "Usage: `/rapport people show @name` (or their e-mail)."
SOURCE_NAMES = {
    Source.HR: "HR file",
    Source.SCIM: "SCIM",
    Source.PLATFORM: "platform profile",
    Source.TYPED: "typed in chat",
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
    for field, value in shown.items():
        lines.append(f"{field}: {value or '—'}{_from(person, field, bool(value))}")
    if not person.active:
        lines.append(f"deactivated{_from(person, 'active')}")
    if scim is not None:
        lines.append(f"SCIM: userName {scim.user_name}, externalId {scim.external_id or '—'}")
    ctx.reply("\n".join(lines))


def _state(person: Person) -> str:
    if not person.active:
        return "deactivated"
    return "not seen on the platform yet" if is_pending(person) else "active"


def _from(person: Person, field: str, known: bool = True) -> str:
    source = source_of(person, field)
    if source is None:
        return ""
    return f" — from {SOURCE_NAMES[source]}" if known else f" (emptied by {SOURCE_NAMES[source]})"


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
        raise UserError(USAGE)
    if person is None:
        raise UserError("I couldn't find that person in this workspace.")
    return person

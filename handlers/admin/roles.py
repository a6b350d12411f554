"""Role management for workspace admins: list, grant and revoke, every change audited.

The checks themselves live in the core (bot.kit.roles, route roles and Context.require); this is
only where admins change who holds what.
"""

from sqlmodel import col, select

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import MENTION
from bot.kit.audit import record
from bot.kit.i18n import format_list
from bot.kit.roles import Role, parse_role, role_name
from bot.models import Person, Workspace
from bot.store.db_lock import locked_by_id
from handlers.admin.i18n import _


async def list_roles(ctx: Context) -> None:
    people = await _people(ctx)
    lines = [
        _("{name}: {roles}").format(
            name=p.display_name, roles=format_list(role_name(r) for r in p.roles)
        )
        for p in people
        if p.roles
    ]
    ctx.reply(_("Roles:") + "\n" + "\n".join(lines) if lines else _("Nobody holds a role yet."))
    await record(ctx.session, _workspace_id(ctx), ctx.actor.id, "roles.list", ctx.now)


async def change_role(ctx: Context, text: str) -> None:
    revoking, role, user_id = _parse(text)
    person = await ctx.person(user_id)
    if person is None:
        raise UserError(_("I couldn't find that person in this workspace."))
    if person.is_bot:
        raise UserError(_("Bots don't hold roles."))
    # Serialise role changes in a workspace, so two admins revoking each other at once
    # cannot leave it with none.
    await locked_by_id(ctx.session, Workspace, str(_workspace_id(ctx)))
    await ctx.session.refresh(person)
    holds = role.value in person.roles
    name = role_name(role)
    if revoking and not holds:
        raise UserError(
            _("{name} doesn't have the {role} role.").format(name=person.display_name, role=name)
        )
    if not revoking and holds:
        raise UserError(
            _("{name} already has the {role} role.").format(name=person.display_name, role=name)
        )
    if revoking and role is Role.ADMIN and await _admin_count(ctx) <= 1:
        raise UserError(_("That's the last admin: grant admin to someone else first."))
    roles = set(person.roles) - {role.value} if revoking else set(person.roles) | {role.value}
    person.roles = sorted(roles)
    ctx.session.add(person)
    action = "role.revoke" if revoking else "role.grant"
    await record(
        ctx.session,
        _workspace_id(ctx),
        ctx.actor.id,
        action,
        ctx.now,
        subject_id=person.id,
        role=role.value,
    )
    changed = (
        _("{name} no longer has the {role} role.")
        if revoking
        else _("{name} now has the {role} role.")
    )
    ctx.reply(changed.format(name=person.display_name, role=name))
    if person.id != ctx.actor.id:
        ctx.dm(person, lambda: _told(ctx.actor.display_name, role, revoking))


def _told(admin: str, role: Role, revoking: bool) -> str:
    """The DM to the person whose role changed, in their language."""
    told = (
        _("{admin} took away your {role} role in Rapport.")
        if revoking
        else _("{admin} gave you the {role} role in Rapport.")
    )
    return told.format(admin=admin, role=role_name(role))


def _parse(text: str) -> tuple[bool, Role, str]:
    """(revoking, role, platform user id) from `grant @x hr`, `revoke @x community manager`,
    `@x hr` or `@x -hr`."""
    ids = MENTION.findall(text)
    words = MENTION.sub(" ", text).lower().split()
    verb = words.pop(0) if words and words[0] in ("grant", "give", "revoke", "remove") else ""
    named = " ".join(words)
    if len(ids) != 1 or not named or (verb in ("grant", "give") and named.startswith("-")):
        raise UserError(_usage())
    revoking = verb in ("revoke", "remove") or named.startswith("-")
    role = parse_role(named.lstrip("-+"))
    if role is None or role is Role.MEMBER:
        # Translators: the role names are typed as they are, in every language.
        raise UserError(_("Roles are admin, hr and community_manager."))
    return revoking, role, ids[0]


def _usage() -> str:
    return _("Usage: `/rapport role grant @name hr` or `/rapport role revoke @name hr`.")


async def _people(ctx: Context) -> list[Person]:
    found = await ctx.session.exec(
        select(Person)
        .where(Person.workspace_id == ctx.workspace.id, col(Person.is_bot).is_(False))
        .order_by(col(Person.display_name))
    )
    return list(found.all())


async def _admin_count(ctx: Context) -> int:
    return sum(Role.ADMIN.value in p.roles for p in await _people(ctx))


def _workspace_id(ctx: Context) -> int:
    assert ctx.workspace.id is not None
    return ctx.workspace.id

"""Role management for workspace admins: list, grant and revoke, every change audited.

The checks themselves live in the core (bot.kit.roles, route roles and Context.require); this is
only where admins change who holds what.
"""

from sqlmodel import col, select

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.events import MENTION
from bot.kit.audit import record
from bot.kit.roles import Role, parse_role, role_name
from bot.models import Person, Workspace
from bot.store.db_lock import locked_by_id

_USAGE = "Usage: `/rapport role grant @name hr` or `/rapport role revoke @name hr`."


async def list_roles(ctx: Context) -> None:
    people = await _people(ctx)
    lines = [
        f"{p.display_name}: {', '.join(role_name(r) for r in p.roles)}" for p in people if p.roles
    ]
    ctx.reply("Roles:\n" + "\n".join(lines) if lines else "Nobody holds a role yet.")
    await record(ctx.session, _workspace_id(ctx), ctx.actor.id, "roles.list", ctx.now)


async def change_role(ctx: Context, text: str) -> None:
    revoking, role, user_id = _parse(text)
    person = await ctx.person(user_id)
    if person is None:
        raise UserError("I couldn't find that person in this workspace.")
    if person.is_bot:
        raise UserError("Bots don't hold roles.")
    # Serialise role changes in a workspace, so two admins revoking each other at once
    # cannot leave it with none.
    await locked_by_id(ctx.session, Workspace, str(_workspace_id(ctx)))
    await ctx.session.refresh(person)
    holds = role.value in person.roles
    name = role_name(role)
    if revoking and not holds:
        raise UserError(f"{person.display_name} doesn't have the {name} role.")
    if not revoking and holds:
        raise UserError(f"{person.display_name} already has the {name} role.")
    if revoking and role is Role.ADMIN and await _admin_count(ctx) <= 1:
        raise UserError("That's the last admin: grant admin to someone else first.")
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
    ctx.reply(
        f"{person.display_name} {'no longer has' if revoking else 'now has'} the {name} role."
    )
    if person.id != ctx.actor.id:
        verb = "took away your" if revoking else "gave you the"
        ctx.dm(person, f"{ctx.actor.display_name} {verb} {name} role in Rapport.")


def _parse(text: str) -> tuple[bool, Role, str]:
    """(revoking, role, platform user id) from `grant @x hr`, `revoke @x community manager`,
    `@x hr` or `@x -hr`."""
    ids = MENTION.findall(text)
    words = MENTION.sub(" ", text).lower().split()
    verb = words.pop(0) if words and words[0] in ("grant", "give", "revoke", "remove") else ""
    named = " ".join(words)
    if len(ids) != 1 or not named:
        raise UserError(_USAGE)
    revoking = verb in ("revoke", "remove") or named.startswith("-")
    if verb in ("grant", "give") and named.startswith("-"):
        raise UserError(_USAGE)
    role = parse_role(named.lstrip("-+"))
    if role is None or role is Role.MEMBER:
        raise UserError("Roles are admin, hr and community_manager.")
    return revoking, role, ids[0]


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

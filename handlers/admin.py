"""`/rapport`: help, and role management for workspace admins."""

from sqlmodel import select

from bot.context import Context
from bot.errors import UserError
from bot.events import MENTION, Command
from bot.models import Person
from bot.roles import Role, parse_role
from bot.router import Router
from handlers.digest import digest_command
from handlers.help import overview
from handlers.privacy.audit_commands import audit
from handlers.privacy.commands import PRIVACY_HELP, forget, forget_me, my_data

router = Router()

ROLE_HELP = (
    "Admins: `/rapport roles` lists who holds which role; `/rapport role @name hr` grants one "
    "and `/rapport role @name -hr` takes it away. Roles: admin, hr, community_manager."
)


@router.command("rapport", help="help, and roles for admins (`/rapport roles`)")
async def rapport_command(ctx: Context, command: Command) -> None:
    word, _, rest = command.text.strip().partition(" ")
    match word.lower():
        case "" | "help":
            ctx.reply(overview(ctx))
            ctx.reply(ROLE_HELP)
            ctx.reply(PRIVACY_HELP)
        case "roles":
            ctx.require(Role.ADMIN)
            await _list_roles(ctx)
        case "role":
            ctx.require(Role.ADMIN)
            await _change_role(ctx, rest)
        case "digest":
            await digest_command(ctx, rest)
        case "my-data":
            await my_data(ctx)
        case "forget-me":
            forget_me(ctx)
        case "forget":
            await forget(ctx, rest)
        case "audit":
            await audit(ctx, rest)
        case _:
            raise UserError(f"I don't know `/rapport {word}`. " + ROLE_HELP)


async def _list_roles(ctx: Context) -> None:
    people = await ctx.session.exec(select(Person).where(Person.workspace_id == ctx.workspace.id))
    lines = [
        f"{p.display_name}: {', '.join(r.replace('_', ' ') for r in p.roles)}"
        for p in people.all()
        if p.roles
    ]
    ctx.reply("Roles:\n" + "\n".join(lines) if lines else "Nobody holds a role yet.")


async def _change_role(ctx: Context, text: str) -> None:
    ids = MENTION.findall(text)
    words = MENTION.sub("", text).split()
    if len(ids) != 1 or len(words) != 1:
        raise UserError("Usage: `/rapport role @name hr` (or `-hr` to take it away).")
    removing = words[0].startswith("-")
    role = parse_role(words[0].lstrip("-+"))
    if role is None or role is Role.MEMBER:
        raise UserError("Roles are admin, hr and community_manager.")
    person = await ctx.person(ids[0])
    if person is None:
        raise UserError("I couldn't find that person in this workspace.")
    if removing and role is Role.ADMIN and person.id == ctx.actor.id:
        raise UserError("You can't remove your own admin role; ask another admin.")
    roles = set(person.roles) - {role.value} if removing else set(person.roles) | {role.value}
    person.roles = sorted(roles)
    verb = "no longer has" if removing else "now has"
    ctx.reply(f"{person.display_name} {verb} the {role.value.replace('_', ' ')} role.")

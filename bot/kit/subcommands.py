"""The words after a slash command (`/kudos me`, `/coffee snooze 2w`), routed in one place.

A feature declares each subcommand once, with its usage, a line of help and the role it needs;
`help` is then written from those declarations, so it lists every subcommand and cannot
drift from them. A word nobody declared gets the nearest one as a suggestion.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from difflib import get_close_matches

from bot.contract.context import Context
from bot.contract.errors import UserError
from bot.contract.ui import Message, Section
from bot.kit.core_catalog import N_, _
from bot.kit.i18n import Text
from bot.kit.roles import Role, has_role
from bot.kit.safety import neutralise

Handler = Callable[[Context, str], Awaitable[None]]
Notes = Callable[[Context], str]
Summary = Text | Notes

_ROLE_HEADINGS = {
    Role.HR: N_("For HR:"),
    Role.COMMUNITY_MANAGER: N_("For community managers:"),
    Role.ADMIN: N_("For admins:"),
}


@dataclass(frozen=True)
class Subcommand:
    names: tuple[str, ...]
    handler: Handler
    usage: str
    help: Text
    role: Role  # the role it is listed under in help
    also: frozenset[Role] = frozenset()  # other roles that may use it


@dataclass
class Subcommands:
    """`command` is the slash command as typed (`/kudos`, or `/rapport digest` for a group
    under another); `summary` opens its help and `notes`, if given, close it: text, or
    written for the asker when it depends on their workspace's settings."""

    command: str
    summary: Summary
    notes: Notes | None = None
    listed: list[Subcommand] = field(default_factory=list)
    _by_name: dict[str, Subcommand] = field(default_factory=dict)
    _otherwise: Handler | None = None

    def add(
        self,
        *names: str,
        usage: str = "",
        help: Text,
        role: Role = Role.MEMBER,
        also: frozenset[Role] = frozenset(),
    ) -> Callable[[Handler], Handler]:
        """Declares `names` (the first is the one shown); `usage` follows the name in help.

        The empty name is the command alone, e.g. `/mentor` opening a form; without it the
        command alone shows the help."""

        def declare(handler: Handler) -> Handler:
            found = Subcommand(names, handler, usage, help, role, also)
            for name in names:
                if name in self._by_name or name == "help":
                    raise ValueError(f"{self.command} {name} declared twice")
                self._by_name[name] = found
            self.listed.append(found)
            return handler

        return declare

    def otherwise(self, handler: Handler) -> Handler:
        """What the command does with text that names no subcommand (`/kudos @ann thanks`).
        It also takes text that starts with "help" and goes on (`/ask help with payroll?`):
        only "help" alone is the help then."""
        self._otherwise = handler
        return handler

    def names(self) -> list[str]:
        """Every word the command knows, aliases and help included."""
        return [*(name for name in self._by_name if name), "help"]

    async def run(self, ctx: Context, text: str) -> None:
        text = text.strip()
        word, _, rest = text.partition(" ")
        asks_help = word.lower() == "help" and not (rest.strip() and self._otherwise)
        if asks_help or not (text or "" in self._by_name):
            ctx.reply(self.help(ctx))
            return
        found = self._by_name.get(word.lower())
        if found is None and self._otherwise is not None and text:
            await self._otherwise(ctx, text)
            return
        if found is None:
            raise UserError(self.unknown(word))
        if not any(has_role(ctx.actor.roles, role) for role in found.also):
            ctx.require(found.role)
        await found.handler(ctx, rest.strip())

    def help(self, ctx: Context) -> Message:
        summary = self.summary(ctx) if callable(self.summary) else str(self.summary)
        lines = [summary, *self._lines(Role.MEMBER)]
        for role, heading in _ROLE_HEADINGS.items():
            if own := self._lines(role):
                lines += [str(heading), *own]
        if self.notes is not None:
            lines.append(self.notes(ctx))
        text = "\n".join(lines)
        return Message(text=text, blocks=[Section(text=text)])

    def _lines(self, role: Role) -> list[str]:
        return [
            _("• {command}: {help}").format(
                command=f"`{' '.join(filter(None, (self.command, s.names[0], s.usage)))}`",
                help=s.help,
            )
            for s in self.listed
            if s.role == role
        ]

    def unknown(self, word: str) -> str:
        """The answer to a word the command does not know, with the nearest it does."""
        shown = neutralise(word[:40])
        near = get_close_matches(word.lower(), self.names(), n=1)
        unknown = f"`{self.command} {shown}`"
        listing = f"`{self.command} help`"
        if near:
            return _(
                "I don't know {unknown}. Did you mean {near}? {help} lists what it can do."
            ).format(unknown=unknown, near=f"`{self.command} {near[0]}`", help=listing)
        return _("I don't know {unknown}. {help} lists what it can do.").format(
            unknown=unknown, help=listing
        )

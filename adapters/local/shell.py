"""The local platform's console: runs transcript lines against a real Bot and prints replies."""

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.local.platform import LocalPlatform, Posted, plain
from adapters.local.transcript import (
    Advance,
    Click,
    DeclareUser,
    React,
    Retry,
    Roster,
    RunCommand,
    Say,
    Step,
    Submit,
    TranscriptError,
    WriteFile,
    parse,
)
from bot.contract.app import Bot, Outcome
from bot.contract.events import Action, Actor, AnyEvent, Command, FormSubmit, Message, Reaction
from bot.contract.ui import Actions, Button, Form
from bot.contract.ui import Message as UiMessage
from bot.kit.directory import Source, claim_pending, write
from bot.kit.language import PLATFORM, note_platform_language
from bot.kit.people import ensure_workspace, valid_timezone
from bot.kit.roles import parse_role
from bot.models import Person, Workspace
from bot.time.clock import VirtualClock
from bot.time.runtime import Runtime

WORKSPACE = "demo"
_AT = re.compile(r"(?<![\w<])@([A-Za-z0-9_.\-]+)")


@dataclass
class LocalShell:
    bot: Bot
    runtime: Runtime
    platform: LocalPlatform
    workspace: str = WORKSPACE
    open_forms: dict[str, Form] = field(default_factory=dict)
    # The message whose button opened each person's open form, as a platform would say.
    form_origins: dict[str, str] = field(default_factory=dict)
    last_event: AnyEvent | None = None
    # Runs `rapport ARGS` on the shell's database: its exit code and what it printed. The
    # wiring gives it; without, `$ rapport …` lines are refused.
    command_line: Callable[[list[str]], Awaitable[tuple[int, list[str]]]] | None = None
    _session_tag: str = field(default_factory=lambda: secrets.token_hex(3))
    _events: int = 0
    # Files written by `file` lines in this session: the first line of each starts it afresh.
    _files: set[str] = field(default_factory=set)

    async def start(self) -> None:
        """Load the workspace's people, so mentions and DMs know who exists."""
        async with self.bot.db.session() as session:
            workspace = await ensure_workspace(
                session, "local", self.workspace, "Demo Co", self.bot.clock.now()
            )
            people = await session.exec(select(Person).where(Person.workspace_id == workspace.id))
            for person in people.all():
                self.platform.users[person.platform_user_id] = _actor(person)

    async def run_script(self, script: str) -> list[str]:
        lines: list[str] = []
        for line in script.splitlines():
            lines.extend(await self.execute(line))
        return lines

    async def execute(self, line: str) -> list[str]:
        """Run one transcript line; return what it printed."""
        start = len(self.platform.lines)
        try:
            step = parse(line)
            if step is not None:
                await self._run(step)
        except TranscriptError as bad:
            self.platform.emit(f"[shell] {bad}")
        return self.platform.lines[start:]

    async def _run(self, step: Step) -> None:
        match step:
            case DeclareUser():
                await self._declare(step)
            case Say():
                await self._deliver(self._say(step))
            case React():
                await self._deliver(self._react(step))
            case Click():
                await self._deliver(self._click(step))
            case Submit():
                await self._deliver(self._submit(step))
            case Retry():
                await self._retry()
            case Advance():
                await self._advance(step)
            case WriteFile():
                self._write_file(step)
            case RunCommand():
                await self._command(step)
            case Roster():
                self._roster(step)

    def _write_file(self, step: WriteFile) -> None:
        mode = "a" if step.name in self._files else "w"
        with Path(step.name).open(mode, encoding="utf-8") as file:
            file.write(step.text + "\n")
        self._files.add(step.name)

    async def _command(self, step: RunCommand) -> None:
        """What the command prints is shown as it is; then the people it may have added or
        renamed are known to mentions, as at start."""
        if self.command_line is None:
            raise TranscriptError("`$ rapport …` lines run only in `rapport shell`")
        code, lines = await self.command_line(step.args)
        for line in lines:
            self.platform.emit(line)
        if code:
            self.platform.emit(f"[shell] exit code {code}")
        await self.start()

    def _roster(self, step: Roster) -> None:
        """Only people the platform has can be on a channel's roster."""
        unknown = [handle for handle in step.handles if handle not in self.platform.users]
        if unknown:
            raise TranscriptError(f"no user @{unknown[0]} on the platform: declare them first")
        self.platform.channels[step.channel] = set(step.handles)
        self.platform.emit(f"[shell] #{step.channel} lists {len(step.handles)} members")

    async def _deliver(self, event: AnyEvent) -> None:
        self.last_event = event
        self._show(event, await self.bot.dispatch(event))
        await self.runtime.settle()

    def _show(self, event: AnyEvent, outcome: Outcome) -> None:
        who = event.actor.id
        if outcome.form is not None:
            self.open_forms[who] = outcome.form
            if isinstance(event, Action) and event.message_id:
                self.form_origins[who] = event.message_id
            elif not isinstance(event, FormSubmit):
                self.form_origins.pop(who, None)
            self.platform.emit(f"[form for @{who}] {_describe_form(outcome.form)}")
        if outcome.form_errors:
            problems = "; ".join(f"{k}: {v}" for k, v in outcome.form_errors.items())
            self.platform.emit(f"[form errors for @{who}] {problems}")
        elif isinstance(event, FormSubmit) and outcome.status == "handled":
            self.open_forms.pop(who, None)

    async def _retry(self) -> None:
        if self.last_event is None:
            raise TranscriptError("nothing to retry yet")
        outcome = await self.bot.dispatch(self.last_event)
        if outcome.status == "duplicate":
            self.platform.emit("[shell] retried delivery ignored: it was already handled")
        await self.runtime.settle()

    async def _advance(self, step: Advance) -> None:
        if not isinstance(self.bot.clock, VirtualClock):
            raise TranscriptError("advance needs the virtual clock of `rapport shell`")
        await self.runtime.advance(step.delta)
        self.platform.emit(f"[clock] {self.bot.clock.now():%a %Y-%m-%d %H:%M} UTC")

    async def _declare(self, step: DeclareUser) -> None:
        fields = step.fields
        roles = [r.value for r in (parse_role(x) for x in fields.get("roles", "").split(",")) if r]
        async with self.bot.db.session() as session:
            workspace = await self._workspace(session)
            assert workspace.id is not None
            person = (
                await session.exec(
                    select(Person).where(
                        Person.workspace_id == workspace.id, Person.platform_user_id == step.handle
                    )
                )
            ).first() or await claim_pending(
                session, workspace.id, fields.get("email"), step.handle
            )
            if person is None:
                person = Person(
                    workspace_id=workspace.id,
                    platform_user_id=step.handle,
                    display_name=step.handle,
                    created_at=self.bot.clock.now(),
                )
            # The line says what the platform's profile says: HR data and SCIM stay.
            profile: dict[str, object] = {
                "name": fields.get("name"),
                "timezone": valid_timezone(fields["tz"], person.timezone)
                if "tz" in fields
                else None,
                "department": fields.get("dept"),
                "email": fields.get("email"),
            }
            for field, value in profile.items():
                if value is not None:
                    write(person, field, value, Source.PLATFORM)
            if "lang" in fields:
                note_platform_language(person, fields["lang"])
            person.is_bot = fields.get("bot", "no") in ("yes", "true", "1")
            if "roles" in fields:
                person.roles = roles
            if "manager" in fields:
                manager = (
                    await session.exec(
                        select(Person).where(
                            Person.workspace_id == workspace.id,
                            Person.platform_user_id == fields["manager"],
                        )
                    )
                ).first()
                write(person, "manager", manager.id if manager else None, Source.PLATFORM)
            session.add(person)
            self.platform.users[step.handle] = _actor(person)
            for channel in filter(None, fields.get("channels", "").split(",")):
                self.platform.join(channel.strip(), step.handle)
        self.platform.emit(f"[shell] user @{step.handle} ready")

    async def _workspace(self, session: AsyncSession) -> Workspace:
        return await ensure_workspace(
            session, "local", self.workspace, "Demo Co", self.bot.clock.now()
        )

    def _base(self, handle: str, channel: str = "", is_dm: bool = False) -> dict[str, object]:
        self._events += 1
        actor = self.platform.users.setdefault(handle, Actor(id=handle, name=handle))
        return {
            "event_id": f"{self._session_tag}-{self._events}",
            "platform": "local",
            "workspace": self.workspace,
            "workspace_name": "Demo Co",
            "actor": actor,
            "channel": channel,
            "is_dm": is_dm,
        }

    def _mentions(self, text: str) -> str:
        known = self.platform.users
        return _AT.sub(lambda m: f"<@{m[1]}>" if m[1] in known else m[0], text)

    def _say(self, step: Say) -> AnyEvent:
        if step.thread:
            return self._reply(step)
        base = self._base(step.handle, step.channel, step.is_dm)
        if step.channel:
            self.platform.join(step.channel, step.handle)  # who writes in a channel is in it
        text = self._mentions(step.text)
        first, _, rest = text.partition(" ")
        if first.startswith("/") or (step.is_dm and first.lower() in self.bot.router.commands):
            return Command(**base, name=first.lstrip("/").lower(), text=rest.strip())
        message_id = self.platform.next_message_id()
        where = f"#{step.channel}" if step.channel else "dm with rapport"
        self.platform.posted[message_id] = Posted(
            message_id, where, UiMessage(text=text), author=step.handle
        )
        self.platform.emit(f"[{where}] ({message_id}) {step.handle}: {plain(text)}")
        return Message(**base, message_id=message_id, text=text)

    def _reply(self, step: Say) -> AnyEvent:
        """A message in the thread under an earlier message, in that message's channel."""
        parent = self.platform.posted.get(step.thread)
        if parent is None:
            raise TranscriptError(f"there is no message {step.thread}")
        channel = parent.where.removeprefix("#") if parent.where.startswith("#") else ""
        base = {**self._base(step.handle, channel), "thread": step.thread}
        text = self._mentions(step.text)
        message_id = self.platform.next_message_id()
        where = f"thread {step.thread} in {parent.where}"
        self.platform.posted[message_id] = Posted(
            message_id, where, UiMessage(text=text), author=step.handle
        )
        self.platform.emit(f"[{where}] ({message_id}) {step.handle}: {plain(text)}")
        return Message(**base, message_id=message_id, text=text)

    def _react(self, step: React) -> AnyEvent:
        posted = self.platform.posted.get(step.message_id)
        if posted is None:
            raise TranscriptError(f"there is no message {step.message_id}")
        channel = posted.where.removeprefix("#") if posted.where.startswith("#") else ""
        return Reaction(
            **self._base(step.handle, channel),
            emoji=step.emoji,
            message_id=step.message_id,
            message_author=posted.author,
            message_text=posted.message.text,
        )

    def _click(self, step: Click) -> AnyEvent:
        message_id = next(
            (
                posted.message_id
                for posted in reversed(self.platform.posted.values())
                if _seen_by(posted, step.handle)
                for block in posted.message.blocks
                if isinstance(block, Actions)
                for element in block.elements
                if element.action_id == step.action_id
                and (not isinstance(element, Button) or element.value == step.value)
            ),
            None,
        )
        return Action(
            **self._base(step.handle),
            action_id=step.action_id,
            value=step.value,
            message_id=message_id,
        )

    def _submit(self, step: Submit) -> AnyEvent:
        form = self.open_forms.get(step.handle)
        kinds = (
            {i.name: i.kind for i in form.inputs} if form and form.form_id == step.form_id else {}
        )
        values: dict[str, str | list[str]] = {}
        for name, value in step.values.items():
            if kinds.get(name) == "users":
                values[name] = [v.strip().lstrip("@") for v in value.split(",") if v.strip()]
            else:
                values[name] = self._mentions(value)
        return FormSubmit(
            **self._base(step.handle),
            form_id=step.form_id,
            values=values,
            metadata=form.metadata if form else "",
            message_id=self.form_origins.get(step.handle) if form else None,
        )


def _seen_by(posted: Posted, handle: str) -> bool:
    """Whether the person can see (and so click) a message: not someone else's DM."""
    where = posted.where
    if where.startswith(("dm @", "only @", "home page of @", "group dm ")):
        return f"@{handle}" in where.split()
    return True


def _actor(person: Person) -> Actor:
    return Actor(
        id=person.platform_user_id,
        name=person.display_name,
        timezone=person.timezone,
        email=person.email,
        is_bot=person.is_bot,
        locale=(person.preferences or {}).get(PLATFORM),
    )


def _describe_form(form: Form) -> str:
    fields = ", ".join(
        f"{i.name} ({i.kind}{', optional' if not i.required else ''}"
        + (": " + "|".join(o.value for o in i.options) if i.options else "")
        + ")"
        for i in form.inputs
    )
    return f"{form.form_id} “{form.title}”: {fields}"

"""What a handler gets: the session, the workspace, the actor, and ways to answer."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.errors import Forbidden
from bot.contract.events import Action, AnyEvent, FormSubmit
from bot.contract.ui import Destination, Form, Message, text_message
from bot.delivery.outbox import OutboxWriter
from bot.kit.directory import is_reachable
from bot.kit.i18n import speaking
from bot.kit.language import person_language, workspace_language
from bot.kit.people import ensure_person, find_person
from bot.kit.preferences import meeting_calendar, personal_settings, shared_moment
from bot.kit.roles import Role, has_role, missing_role
from bot.models import DueWork, Person, Schedule, Workspace
from bot.wiring.config import Settings

if TYPE_CHECKING:
    from bot.contract.app import Bot

# Work to do in a transaction of its own once the event's transaction has committed.
AfterCommit = Callable[[AsyncSession], Awaitable[object]]


# What a handler sends: written already, or written when called, in the reader's language
# (bot.kit.language): the workspace's for a channel, the person's for a DM.
Words = str | Message | Callable[[], str | Message]


def as_message(message: str | Message) -> Message:
    return text_message(message) if isinstance(message, str) else message


def in_language(message: Words, language: str) -> Message:
    if callable(message):
        with speaking(language):
            return as_message(message())
    return as_message(message)


@dataclass
class BaseContext:
    bot: "Bot"
    session: AsyncSession
    workspace: Workspace
    outbox: OutboxWriter
    now: datetime

    @property
    def settings(self) -> Settings:
        return self.bot.settings

    @property
    def workspace_language(self) -> str:
        """The language of channel posts and group conversations."""
        return workspace_language(self.workspace, self.settings)

    def language_of(self, person: Person) -> str:
        return person_language(person, self.workspace, self.settings)

    def post(self, channel: str, message: Words, *, thread: str = "") -> str:
        kind = "thread" if thread else "channel"
        return self.outbox.add(
            Destination(kind=kind, channel=channel, thread=thread),
            in_language(message, self.workspace_language),
        )

    @property
    def scheduled(self) -> bool:
        """True in scheduled work, whose DMs wait for each person's allowed time; answers to
        something happening now are never held back."""
        return False

    @property
    def nudge_feature(self) -> str | None:
        """The feature a nudge written here belongs to, when the context knows it."""
        return None

    def dm(
        self,
        person: Person,
        message: Words,
        *,
        held: bool = False,
        forget_when_sent: bool = False,
    ) -> str:
        """DM `person`; from scheduled work, held until their personal settings allow it.

        `held` waits as a group DM does, from a command too: for what an admin's command
        sends to people who asked for nothing, e.g. "nobody to pair you with this round".
        `forget_when_sent`: see OutboxWriter.add. Someone who left (bot.kit.directory) gets
        nothing: no row is written and the key is empty.
        """
        if not is_reachable(person):
            return ""
        when = None
        if held:
            when = shared_moment([meeting_calendar(person)], self.now)
        elif self.scheduled:
            when = personal_settings(person).not_before(self.now, person.timezone)
        return self.outbox.add(
            Destination(kind="dm", user=person.platform_user_id),
            in_language(message, self.language_of(person)),
            not_before=when,
            forget_when_sent=forget_when_sent,
        )

    def nudge(self, person: Person, message: Words, *, feature: str = "") -> str | None:
        """A reminder-like DM the person can switch off per feature: None, and nothing
        written, if they did; otherwise held like any scheduled DM, wherever it is written.

        `feature` defaults to the scheduled work's feature (`mentor.sweep` nudges as `mentor`).
        """
        name = feature or self.nudge_feature
        if not name:
            raise ValueError("a nudge outside scheduled work needs its feature name")
        chosen = personal_settings(person)
        if not chosen.receives(name) or not is_reachable(person):
            return None
        return self.outbox.add(
            Destination(kind="dm", user=person.platform_user_id),
            in_language(message, self.language_of(person)),
            not_before=chosen.not_before(self.now, person.timezone),
        )

    def post_in_thread_of(self, key: str, channel: str, message: Words) -> str:
        """Reply under an earlier channel post of ours (by its outbox key), e.g. to open the
        discussion thread of an idea."""
        return self.outbox.add(
            Destination(kind="thread", channel=channel, thread_of=key),
            in_language(message, self.workspace_language),
        )

    def group_dm(self, people: list[Person], message: Words) -> str:
        """One conversation with all of `people` (one DM each where the platform cannot open
        group DMs). It brings people together, so it waits, from a command too, for the first
        moment that suits them all (bot.kit.preferences.shared_moment), the night counting as
        quiet for anyone who chose no hours. Someone who left is not in it."""
        people = [person for person in people if is_reachable(person)]
        users = [person.platform_user_id for person in people]
        when = None
        if people:
            when = shared_moment([meeting_calendar(p) for p in people], self.now)
        return self.outbox.add(
            Destination(kind="group", users=users),
            in_language(message, self.workspace_language),
            not_before=when,
        )

    def edit(
        self,
        key: str,
        message: Words,
        destination: Destination,
        *,
        reader: Person | None = None,
    ) -> str:
        """Replace an earlier message (by its outbox key) in place, e.g. live vote counts;
        written for `reader` (a DM's), or for the workspace."""
        language = self.language_of(reader) if reader else self.workspace_language
        return self.outbox.add(destination, in_language(message, language), update_of=key)

    async def person(self, platform_user_id: str) -> Person | None:
        """A person of this workspace by platform id, created on first sight if the platform
        knows them; None if nobody by that id exists."""
        known = await find_person(self.session, self.workspace, platform_user_id)
        if known is not None:
            return known
        actor = await self.bot.lookup_person(self.workspace, platform_user_id)
        if actor is None:
            return None
        return await ensure_person(self.session, self.workspace, actor, self.now)


@dataclass
class Context(BaseContext):
    event: AnyEvent = field(kw_only=True)
    actor: Person = field(kw_only=True)
    form: Form | None = None
    after: list[AfterCommit] = field(default_factory=list)

    def after_commit(self, step: AfterCommit) -> None:
        """Run `step` once this event's changes are committed, in a session of its own, so
        that what it writes shares no transaction with them. A crash in between skips it:
        whatever it does must be safe to redo later (pulse ballots are moved again by the
        next answer or the close)."""
        self.after.append(step)

    def reply(self, message: str | Message, *, forget_when_sent: bool = False) -> str:
        """Answer the actor only: ephemeral in a channel, plainly in a DM.

        `forget_when_sent`: see OutboxWriter.add (e.g. the thanks for a survey answer).
        """
        event = self.event
        if event.is_dm or not event.channel:
            destination = Destination(
                kind="dm", user=event.actor.id, channel=event.channel, reply_token=event.reply_token
            )
        else:
            destination = Destination(
                kind="ephemeral",
                channel=event.channel,
                user=event.actor.id,
                reply_token=event.reply_token,
            )
        return self.outbox.add(destination, as_message(message), forget_when_sent=forget_when_sent)

    def replace(
        self,
        message: str | Message,
        *,
        otherwise: str | Message | None = None,
        forget_when_sent: bool = False,
    ) -> str:
        """Replace the message this interaction came from (the card whose button was clicked,
        or whose button opened the submitted form) in place. Everyone who sees the card sees
        the new version. Where the platform did not say which message that was, reply with
        `otherwise` (default: the message itself).

        `forget_when_sent`: see OutboxWriter.add.
        """
        event = self.event
        original = event.message_id if isinstance(event, Action | FormSubmit) else None
        if not original:
            instead = message if otherwise is None else otherwise
            return self.reply(instead, forget_when_sent=forget_when_sent)
        destination = Destination(
            kind="dm" if event.is_dm or not event.channel else "channel",
            channel=event.channel,
            user=event.actor.id,
            replaces=original,
            reply_token=event.reply_token,
        )
        return self.outbox.add(destination, as_message(message), forget_when_sent=forget_when_sent)

    def open_form(self, form: Form) -> None:
        self.form = form

    def require(self, role: Role) -> None:
        if not has_role(self.actor.roles, role):
            raise Forbidden(missing_role(role))


@dataclass
class WorkContext(BaseContext):
    """What a scheduled handler gets for one unit of due work."""

    schedule: Schedule = field(kw_only=True)
    due: DueWork = field(kw_only=True)
    children: list[dict[str, object]] = field(default_factory=list)

    @property
    def scheduled(self) -> bool:
        return True

    @property
    def nudge_feature(self) -> str | None:
        """The feature that names this work's kind: `pulse.nudge` belongs to pulse."""
        return self.due.kind.partition(".")[0]

    def fan_out(
        self,
        kind: str,
        recipients: list[str],
        payload: dict[str, object],
        *,
        run_at: datetime | None = None,
    ) -> None:
        """Create one durable unit of work per recipient under this firing's period.

        `run_at` defers the units, e.g. to the recipients' working hours; default: now.
        """
        for recipient in recipients:
            self.children.append(
                {
                    "kind": kind,
                    "recipient": recipient,
                    "payload": payload,
                    "run_at": run_at or self.now,
                }
            )

"""The Bot: routes inbound events to handlers through the core middleware.

Middleware, in order: inbound dedupe (a platform retry does nothing twice), workspace and
person on first sight, role checks, then the handler inside a savepoint so that a refusal or a
crash leaves no half-written record, and the user always gets an answer.
"""

import asyncio
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.context import Context
from bot.contract.errors import FormInvalid, UserError
from bot.contract.events import (
    MENTION,
    Action,
    Actor,
    AnyEvent,
    Command,
    FormSubmit,
    HomeOpened,
    Message,
    MessageAction,
    Reaction,
)
from bot.contract.group_commit import GroupCommit
from bot.contract.platform import Platform
from bot.contract.router import Route, Router
from bot.contract.ui import Form
from bot.delivery.outbox import OutboxWriter
from bot.kit.core_catalog import _
from bot.kit.i18n import speaking
from bot.kit.people import ensure_person, ensure_workspace, known_workspace, look_ahead
from bot.kit.roles import has_role, missing_role
from bot.kit.safety import UNREADABLE, readable
from bot.models import ProcessedEvent, Workspace
from bot.observe import log_context, metrics
from bot.store.day_only import day_start
from bot.store.db import Database
from bot.store.db_upsert import insert_ignore
from bot.store.write_count import writes
from bot.time.clock import Clock
from bot.wiring.config import Settings

log = logging.getLogger(__name__)


def delivery_digest(event_id: str) -> str:
    """What processed_event keeps of a platform's event id: enough to know a retry, nothing
    more. Some ids carry their moment (Discord's snowflakes, Slack's action timestamps), and
    the row shares its transaction with what the event did, e.g. an answer."""
    return hashlib.sha256(event_id.encode()).hexdigest()


# Events handled in one transaction at most: long enough to share the commit's cost, short
# enough that the outbox's own transactions are not kept waiting long behind it.
DISPATCH_BATCH = 32

Status = Literal["handled", "duplicate", "unhandled", "rejected", "failed"]


class _Refused(Exception):
    """A handler refused or failed in a transaction without savepoints (Bot._handle_together)."""


@dataclass
class Outcome:
    status: Status
    form: Form | None = None
    form_errors: dict[str, str] | None = None


class Bot:
    def __init__(
        self,
        db: Database,
        router: Router,
        settings: Settings,
        clock: Clock,
        platforms: Mapping[str, Platform] | None = None,
        *,
        batch_limit: int = DISPATCH_BATCH,
    ) -> None:
        self.db = db
        self.router = router
        self.settings = settings
        self.clock = clock
        self.platforms: dict[str, Platform] = dict(platforms or {})
        self.outbox_ready = asyncio.Event()
        # SQLite runs one transaction at a time: one batch at once, sharing its commit. On
        # PostgreSQL transactions run side by side, one per connection, and batches of them
        # waited on each other's rows until PostgreSQL broke a deadlock by failing a handler:
        # there each event keeps a transaction of its own.
        if db.is_postgres:
            lanes, batch_limit = settings.database_pool_size, 1
        else:
            lanes = 1
        self._batches = GroupCommit(self._dispatch_batch, limit=batch_limit, lanes=lanes)

    async def lookup_person(self, workspace: Workspace, user_id: str) -> Actor | None:
        platform = self.platforms.get(workspace.platform)
        return await platform.lookup_person(workspace.external_id, user_id) if platform else None

    async def channel_members(self, workspace: Workspace, channel: str) -> list[str]:
        """Platform user ids of a channel's members; PermanentFailure if it cannot be read."""
        platform = self.platforms.get(workspace.platform)
        return await platform.channel_members(workspace.external_id, channel) if platform else []

    async def dispatch(self, event: AnyEvent) -> Outcome:
        """Handles `event` and returns once its transaction has committed."""
        with metrics.handling(event.platform, event.kind):
            return await self._batches.submit(event)

    async def _dispatch_batch(self, events: list[AnyEvent]) -> list[Outcome | BaseException]:
        # A failure outside the handlers fails the batch, and GroupCommit then gives each
        # event a transaction of its own.
        try:
            handled = await self._handle_together(events, careful=False)
        except _Refused:
            handled = await self._handle_together(events, careful=True)
        contexts = [ctx for _, ctx in handled if ctx is not None]
        for ctx in contexts:
            await self._after_commit(ctx)
        if any(ctx.outbox.keys for ctx in contexts):
            self.outbox_ready.set()
        return [outcome for outcome, _ in handled]

    async def _handle_together(
        self, events: list[AnyEvent], *, careful: bool
    ) -> list[tuple[Outcome, Context | None]]:
        """Handle `events` in one transaction. Careful: each handler in a savepoint, so that
        one that refuses or fails takes back its own writes alone. Otherwise there are no
        savepoints (two statements and a flush an event fewer); a handler that refuses
        having written nothing is answered in place, and one that fails, or refuses after
        writing, raises _Refused: the whole transaction is rolled back, to be run carefully."""
        handled = []
        async with self.db.session(brief=True) as session:
            await self._look_ahead(session, events)
            for event in events:
                handled.append(await self._dispatch_about(session, event, careful))
                # Statements inside the transaction run without a trip to a thread, so a
                # batch never waits on its own: let the acks of new arrivals through
                # between events, not only once the whole batch is done.
                await asyncio.sleep(0)
        return handled

    async def _look_ahead(self, session: AsyncSession, events: list[AnyEvent]) -> None:
        """Read the people the events name, a workspace at a time, before handling them."""
        named: dict[tuple[str, str], set[str]] = {}
        for event in events:
            ids = named.setdefault((event.platform, event.workspace), set())
            ids.add(event.actor.id)
            match event:
                case Reaction():
                    ids.add(event.message_author)
                    ids.update(MENTION.findall(event.message_text))
                case Command() | Message():
                    ids.update(MENTION.findall(event.text))
        for (platform, external_id), ids in named.items():
            workspace = await known_workspace(session, platform, external_id)
            if workspace is not None:
                await look_ahead(session, workspace, ids)

    async def _dispatch_about(
        self, session: AsyncSession, event: AnyEvent, careful: bool
    ) -> tuple[Outcome, Context | None]:
        """One event of a batch, each line it logs saying which workspace and kind of event
        (bot/observe): not the event's id, which with the line's time would date what the
        person did, e.g. answer a survey (docs/threat-model.md)."""
        about = log_context.about(
            platform=event.platform, workspace=event.workspace, event_kind=event.kind
        )
        with about:
            return await self._dispatch_in(session, event, careful)

    async def _dispatch_in(
        self, session: AsyncSession, event: AnyEvent, careful: bool
    ) -> tuple[Outcome, Context | None]:
        now = self.clock.now()
        if not await self._first_delivery(session, event):
            # No event id: with the line's time it would date what the event did.
            log.info("ignored a retry of a %s event", event.platform)
            return Outcome("duplicate"), None
        workspace = await ensure_workspace(
            session,
            event.platform,
            event.workspace,
            event.workspace_name,
            now,
            self.settings.default_timezone,
        )
        ctx = Context(
            self,
            session,
            workspace,
            OutboxWriter(session, workspace, f"{event.platform}:{event.event_id}", now),
            now,
            event=event,
            actor=await ensure_person(session, workspace, event.actor, now),
        )
        with speaking(ctx.language_of(ctx.actor)):
            outcome = await self._run_routes(ctx, self._routes(event), careful)
        return outcome, ctx

    async def _after_commit(self, ctx: Context) -> None:
        for step in ctx.after:
            try:
                async with self.db.session() as session:
                    await step(session)
            except Exception:
                # The event is answered and committed; the step is redone by later work. The
                # line names no event: its time would date what the event did (an answer).
                log.exception("an after-commit step failed")

    async def _first_delivery(self, session: AsyncSession, event: AnyEvent) -> bool:
        row = {
            "platform": event.platform,
            "event_id": delivery_digest(event.event_id),
            # The day only: an exact time would date whatever the event did, e.g. an answer.
            "received_at": day_start(self.clock.now()),
        }
        return await insert_ignore(session, ProcessedEvent, [row]) == 1

    def _routes(self, event: AnyEvent) -> list[Route]:
        router = self.router
        found: Route | None
        match event:
            case Command():
                found = router.commands.get(event.name.lower()) or router.fallback
            case Action():
                found = router.actions.get(event.action_id)
            case FormSubmit():
                found = router.forms.get(event.form_id)
            case MessageAction():
                found = router.message_actions.get(event.name)
            case HomeOpened():
                found = router.home
            case Reaction():
                return router.reactions
            case Message():
                return router.messages
        return [found] if found else []

    async def _run_routes(self, ctx: Context, routes: list[Route], careful: bool) -> Outcome:
        if routes and not readable(ctx.event.model_dump()):
            # Checked once here: otherwise each handler fails when it stores the text.
            if not isinstance(ctx.event, Message | Reaction) or ctx.event.is_dm:
                ctx.reply(str(UNREADABLE))
            return Outcome("rejected")
        if not routes:
            if isinstance(ctx.event, Action | FormSubmit | MessageAction):
                ctx.reply(_("That button or form is no longer active. Please start again."))
            return Outcome("unhandled")
        outcome = Outcome("handled")
        for route in routes:
            outcome = await (self._run(ctx, route) if careful else self._run_quickly(ctx, route))
            if outcome.status != "handled":
                break
        return Outcome(outcome.status, ctx.form, outcome.form_errors)

    async def _run_quickly(self, ctx: Context, route: Route) -> Outcome:
        if not has_role(ctx.actor.roles, route.role):
            ctx.reply(missing_role(route.role))
            return Outcome("rejected")
        mark, steps, written = len(ctx.outbox.keys), len(ctx.after), await writes(ctx.session)
        try:
            await route.handler(ctx, ctx.event)
            # A constraint the handler broke fails here, as it would at a savepoint's end.
            await ctx.session.flush()
        except (FormInvalid, UserError) as refusal:
            # Most refusals come before any write (an allowance spent, a typo): then the
            # transaction holds only the other events' work, and stays as it is.
            if not await _wrote_nothing(ctx.session, written):
                raise _Refused from refusal
            return _refused(ctx, refusal, mark, steps)
        except Exception as failure:
            raise _Refused from failure
        return Outcome("handled")

    async def _run(self, ctx: Context, route: Route) -> Outcome:
        if not has_role(ctx.actor.roles, route.role):
            ctx.reply(missing_role(route.role))
            return Outcome("rejected")
        mark, steps = len(ctx.outbox.keys), len(ctx.after)
        try:
            async with ctx.session.begin_nested():
                await route.handler(ctx, ctx.event)
        except (FormInvalid, UserError) as refusal:
            return _refused(ctx, refusal, mark, steps)
        except Exception:
            ref = secrets.token_hex(4)
            log.exception(
                "handler %s failed on %s (ref %s)",
                route.handler.__qualname__,
                ctx.event.event_id,
                ref,
            )
            ctx.outbox.drop_from(mark)
            del ctx.after[steps:]
            ctx.form = None
            ctx.reply(
                _(
                    "Sorry, something went wrong on my side and nothing was saved. "
                    "Please try again in a moment (ref {ref})."
                ).format(ref=ref)
            )
            return Outcome("failed")
        return Outcome("handled")


async def _wrote_nothing(session: AsyncSession, written: int | None) -> bool:
    """Whether the session is as it was when `writes` counted `written`: no statement that
    may have written since, nothing waiting to be flushed."""
    if written is None or written != await writes(session):
        return False
    return not (session.new or session.dirty or session.deleted)


def _refused(ctx: Context, refusal: FormInvalid | UserError, mark: int, steps: int) -> Outcome:
    """Take back what the refusing handler queued (messages since `mark`, after-commit steps
    since `steps`) and answer with the refusal."""
    ctx.outbox.drop_from(mark)
    del ctx.after[steps:]
    if isinstance(refusal, FormInvalid):
        return Outcome("rejected", form_errors=refusal.errors)
    ctx.form = None
    ctx.reply(refusal.text)
    return Outcome("rejected")

"""slack-bolt wiring: the HTTP routes, Socket Mode, OAuth installs, one listener per inbound kind.

Every listener acknowledges first and works after, so Slack always gets its answer within
3 seconds. The one exception is a modal submission, whose answer (close, or show the errors
inside the modal) depends on the outcome: it waits for the outcome up to a budget below 3
seconds, then closes the modal and lets the work finish afterwards.

Work after the ack runs at most WORK_SLOTS at a time. The rest waits its turn parked, off the
event loop's ready queue: otherwise a burst of events leaves thousands of half-done handlers
runnable, and each new request's ack (signature check, routing) queues behind all of them.
"""

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, oauth, shapes
from adapters.slack.blocks import form_errors, modal
from adapters.slack.bolt_log import bolt_logger
from adapters.slack.clients import SlackClients
from adapters.slack.installations import DatabaseInstallationStore
from adapters.slack.platform import SlackPlatform
from bot.contract.app import Bot, Outcome
from bot.contract.events import Actor
from bot.contract.ui import Form
from bot.store.secrets_at_rest import Sealer
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

PATH = "/slack/events"
ANY = re.compile(".*")
FORM_ACK_BUDGET_SECONDS = 2.5
# Below the default database pool (5), which the outbox sender and the scheduler share too.
WORK_SLOTS = 4
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."

Body = dict[str, Any]


class SlackAdapter:
    def __init__(self, bot: Bot, settings: Settings) -> None:
        self.bot = bot
        self.settings = settings
        # One HTTP session for every Web API call: a connection per call costs a TLS handshake.
        self.http = aiohttp.ClientSession()
        # With a client id, each workspace installs the app (OAuth) and has its own token;
        # without one, the single SLACK_BOT_TOKEN serves the one workspace.
        self.multi_workspace = bool(settings.slack_client_id)
        sealer = Sealer.from_setting(settings.token_encryption_keys)
        self.clients = SlackClients(
            self.http,
            settings.slack_api_base_url,
            token="" if self.multi_workspace else settings.slack_bot_token,
            db=bot.db,
            sealer=sealer,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
        )
        self.platform = SlackPlatform(self.clients)
        self._verifier = SignatureVerifier(settings.slack_signing_secret)
        if self.multi_workspace:
            store = DatabaseInstallationStore(bot.db, self.clients, bot.clock, sealer)
            self.app = oauth.multi_workspace_app(
                settings, self.clients.anonymous, store, bolt_logger()
            )
            self.app.use(self._check_shape)
            self.app.use(self._link_org)
            self._listen_for_revocations()
        else:
            assert self.clients.single is not None
            self.app = AsyncApp(
                client=self.clients.single,
                signing_secret=settings.slack_signing_secret,
                logger=bolt_logger(),
            )
            self.app.use(self._check_shape)
            self._listen_for_single_revocation()
        # Finished deliveries, work after the ack included: for metrics, and for tests,
        # which cannot otherwise tell when the work behind an acknowledged request is done.
        self.completed = 0
        self._completion = asyncio.Condition()
        self._slots = asyncio.Semaphore(WORK_SLOTS)
        self.app.command(ANY)(self._on_command)
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("reaction_added")(self._on_reaction)
        self.app.action(ANY)(self._on_action)
        self.app.view(ANY)(self._on_view)
        self.app.event("app_home_opened")(self._on_home)
        self.app.message_shortcut(ANY)(self._on_message_shortcut)

    async def _link_org(
        self, body: Body, context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]
    ) -> None:
        """A team of a Grid org: remembered with its org, whose org-wide install may be the one
        that serves the team's deliveries later (clients.py)."""
        await self.clients.link(inbound.team_id(body), context.enterprise_id or "")
        await next_()

    async def _check_shape(
        self, body: Body, next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """What handle() checks for HTTP, over Socket Mode (shapes.py): there a refusal is no
        acknowledgement, and Slack would send the envelope again, so it is acknowledged and
        dropped."""
        field = shapes.problem(body)
        if field is None:
            await next_()
            return None
        log.warning("slack payload dropped: %s has the wrong shape", field)
        return BoltResponse(status=200, body="")

    def _listen_for_single_revocation(self) -> None:
        """Single-workspace mode: the app uninstalled, or its bot token revoked, leaves
        SLACK_BOT_TOKEN dead. Acknowledged (else Slack retries them), logged once, and nothing
        more is sent to the workspace until a new token and a restart."""

        async def on_revoked(body: Body, event: Body) -> None:
            async with self._work("tokens_revoked", queued=False):
                if (event.get("tokens") or {}).get("bot"):
                    self._stop_sending(inbound.team_id(body), "its bot token was revoked")

        async def on_uninstalled(body: Body) -> None:
            async with self._work("app_uninstalled", queued=False):
                self._stop_sending(inbound.team_id(body), "the app was uninstalled")

        self.app.event("tokens_revoked")(on_revoked)
        self.app.event("app_uninstalled")(on_uninstalled)

    def _stop_sending(self, team: str, why: str) -> None:
        if self.clients.revoke_single():
            log.warning(
                "Slack workspace %s: %s; nothing more is sent there until SLACK_BOT_TOKEN is "
                "replaced and Rapport restarted",
                team,
                why,
            )

    def _listen_for_revocations(self) -> None:
        """app_uninstalled and tokens_revoked delete the workspace's installation (bolt's own
        listeners), team_access_revoked unlinks workspaces from their org's install; each is
        counted as finished work like every other delivery."""
        revoked = self.app.default_tokens_revoked_event_listener()
        uninstalled = self.app.default_app_uninstalled_event_listener()

        async def on_revoked(event: Body, context: AsyncBoltContext) -> None:
            async with self._work("tokens_revoked", queued=False):
                await revoked(event, context)

        async def on_uninstalled(context: AsyncBoltContext) -> None:
            async with self._work("app_uninstalled", queued=False):
                await uninstalled(context)

        async def on_team_access_revoked(event: Body) -> None:
            async with self._work("team_access_revoked", queued=False):
                await self.clients.unlink([str(team) for team in event.get("team_ids") or []])

        self.app.event("tokens_revoked")(on_revoked)
        self.app.event("app_uninstalled")(on_uninstalled)
        # An org-wide install taken out of some of its org's workspaces.
        self.app.event("team_access_revoked")(on_team_access_revoked)

    async def close(self) -> None:
        await self.http.close()

    def mount(self, web_app: web.Application) -> None:
        web_app.router.add_post(PATH, self.handle)
        if self.app.oauth_flow is not None:
            web_app.router.add_get(oauth.INSTALL_PATH, self.handle_oauth)
            web_app.router.add_get(oauth.REDIRECT_PATH, self.handle_oauth)

    async def handle_oauth(self, request: web.Request) -> web.Response:
        """GET /slack/install (to Slack's consent page) and /slack/oauth_redirect (back)."""
        flow = self.app.oauth_flow
        assert flow is not None
        bolt_request = await to_bolt_request(request)
        if request.path == oauth.INSTALL_PATH:
            return await to_aiohttp_response(await flow.handle_installation(bolt_request))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    async def handle(self, request: web.Request) -> web.Response:
        """POST /slack/events: bolt verifies the signature (401 if bad or stale) and routes."""
        stamp = request.headers.get("X-Slack-Request-Timestamp")
        if stamp is not None and not (stamp.isascii() and stamp.isdigit()):
            # Bolt would fail reading it as a number (a 500); Slack always sends one.
            return web.json_response({"error": "invalid request timestamp"}, status=401)
        try:
            bolt_request = await to_bolt_request(request)
        except (ValueError, TypeError, AttributeError):
            # Not JSON, not a form, or JSON that is not an object: nothing Slack would send.
            return web.json_response({"error": "malformed request body"}, status=400)
        field = shapes.problem(bolt_request.body)
        if field is not None:
            # Refused before bolt, which itself trips over some wrong shapes (a 500); signed
            # ones get a 400, the rest bolt's 401.
            if not self._verifier.is_valid_request(bolt_request.raw_body, request.headers):
                return web.json_response({"error": "invalid request"}, status=401)
            return await to_aiohttp_response(_refused(field))
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    async def run_socket_mode(self, app_token: str) -> None:
        """Receive over Socket Mode (no public URL needed) until cancelled."""
        handler = AsyncSocketModeHandler(self.app, app_token)
        try:
            await handler.start_async()  # type: ignore[no-untyped-call]  # untyped in bolt
        finally:
            await handler.close_async()  # type: ignore[no-untyped-call]

    @asynccontextmanager
    async def _work(self, kind: str, *, queued: bool = True) -> AsyncIterator[None]:
        try:
            if queued:
                async with self._slots:
                    yield
            else:
                yield
        except Exception:
            # Already acknowledged: nobody is waiting for an HTTP answer any more.
            log.exception("slack %s could not be handled", kind)
        finally:
            async with self._completion:
                self.completed += 1
                self._completion.notify_all()

    async def wait_completed(self, count: int) -> None:
        """Until `count` deliveries in all have been handled, including their work after the ack."""
        async with self._completion:
            await self._completion.wait_for(lambda: self.completed >= count)

    async def _actor(self, body: Body, user_id: str) -> Actor:
        return await self.platform.lookup_person(inbound.team_id(body), user_id) or Actor(
            id=user_id
        )

    async def _client(self, body: Body) -> AsyncWebClient:
        return await self.clients.for_team(inbound.team_id(body))

    async def _open_form(
        self, body: Body, form: Form | None, trigger_id: str | None, channel: str
    ) -> None:
        """Open the form a handler asked for; the trigger id is valid for 3 seconds only."""
        if form is None or trigger_id is None:
            return
        client = await self._client(body)
        try:
            await client.views_open(trigger_id=trigger_id, view=modal(form, channel))
        except SlackApiError as failure:
            log.warning("could not open form %s: %s", form.form_id, failure.response.get("error"))

    async def _on_command(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        async with self._work("command"):
            actor = await self._actor(body, str(body["user_id"]))
            command = inbound.command_event(body, actor, self.settings.slack_commands)
            outcome = await self.bot.dispatch(command)
            await self._open_form(body, outcome.form, command.trigger_id, command.channel)

    async def _on_message(self, body: Body, context: AsyncBoltContext) -> None:
        async with self._work("message"):
            event = body["event"]
            # Direct messages to the bot, and replies in channel threads (an idea's discussion
            # thread); edits, joins and bot posts are not someone talking.
            if event.get("subtype") or event.get("bot_id"):
                return
            if event.get("channel_type") == "im":
                actor = await self._actor(body, str(event["user"]))
                commands = self.bot.router.commands
                await self.bot.dispatch(inbound.direct_message(body, actor, commands))
            elif inbound.is_thread_reply(event) and not self._mentions_bot(event, context):
                # A reply that mentions the bot arrives again as app_mention: handled there.
                actor = await self._actor(body, str(event["user"]))
                await self.bot.dispatch(inbound.thread_reply(body, actor))

    @staticmethod
    def _mentions_bot(event: Body, context: AsyncBoltContext) -> bool:
        return bool(context.bot_user_id) and f"<@{context.bot_user_id}>" in str(
            event.get("text", "")
        )

    async def _on_mention(self, body: Body, context: AsyncBoltContext) -> None:
        async with self._work("app_mention"):
            event = body["event"]
            actor = await self._actor(body, str(event["user"]))
            bot_user = context.bot_user_id or ""
            commands = self.bot.router.commands
            await self.bot.dispatch(inbound.mention(body, actor, bot_user, commands))

    async def _on_reaction(self, body: Body) -> None:
        async with self._work("reaction_added"):
            event = body["event"]
            item = event.get("item", {})
            if item.get("type") != "message":
                return
            client = await self._client(body)
            author, text = await self._reacted_message(
                client, str(item["channel"]), str(item["ts"])
            )
            author = str(event.get("item_user") or author)
            if not author:
                return
            actor = await self._actor(body, str(event["user"]))
            await self.bot.dispatch(inbound.reaction_event(body, actor, author, text))

    async def _reacted_message(
        self, client: AsyncWebClient, channel: str, ts: str
    ) -> tuple[str, str]:
        """Author and text of a message; a thread reply is only found with conversations.replies.

        Without read access (a private channel the bot is not in) the reaction still counts,
        just without the message's text.
        """
        try:
            found = await client.conversations_history(
                channel=channel, latest=ts, inclusive=True, limit=1
            )
            messages = [m for m in found["messages"] if m.get("ts") == ts]
            if not messages:
                found = await client.conversations_replies(
                    channel=channel, ts=ts, latest=ts, inclusive=True, limit=1
                )
                messages = [m for m in found["messages"] if m.get("ts") == ts]
        except SlackApiError as failure:
            log.info("cannot read reacted message %s:%s: %s", channel, ts, failure)
            return "", ""
        if not messages:
            return "", ""
        return str(messages[0].get("user") or ""), str(messages[0].get("text") or "")

    async def _on_home(self, body: Body) -> None:
        async with self._work("app_home_opened"):
            event = body["event"]
            # The same event comes for the Messages and About tabs: only Home is ours to draw.
            if event.get("tab") != "home":
                return
            actor = await self._actor(body, str(event["user"]))
            await self.bot.dispatch(inbound.home_opened(body, actor))

    async def _on_message_shortcut(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        async with self._work("message_action"):
            actor = await self._actor(body, str(body["user"]["id"]))
            outcome = await self.bot.dispatch(inbound.message_action(body, actor))
            event_channel = str(body.get("channel", {}).get("id", ""))
            await self._open_form(body, outcome.form, str(body["trigger_id"]), event_channel)

    async def _on_action(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        async with self._work("block_actions"):
            user = body["user"]["id"]
            actor = await self._actor(body, str(user))
            for action in inbound.action_events(body, actor):
                outcome = await self.bot.dispatch(action)
                await self._open_form(body, outcome.form, action.trigger_id, action.channel)

    async def _on_view(self, ack: AsyncAck, body: Body) -> None:
        # Not queued: the person is looking at the modal, and its answer is the ack.
        async with self._work("view_submission", queued=False):
            work = asyncio.ensure_future(self._submit(body))
            try:
                outcome = await asyncio.wait_for(asyncio.shield(work), FORM_ACK_BUDGET_SECONDS)
            except TimeoutError:
                await ack()
                await work
                return
            except Exception:
                blocks = [b.get("block_id", "") for b in body["view"].get("blocks", [])]
                await ack(response_action="errors", errors=form_errors({"": SORRY}, blocks))
                raise
            await ack(**self._view_answer(outcome, body))

    async def _submit(self, body: Body) -> Outcome:
        actor = await self._actor(body, str(body["user"]["id"]))
        return await self.bot.dispatch(inbound.form_event(body, actor))

    def _view_answer(self, outcome: Outcome, body: Body) -> dict[str, Any]:
        """Close the modal, show errors inside it, or replace it by the handler's next form."""
        view = body["view"]
        if outcome.form_errors:
            blocks = [str(b.get("block_id", "")) for b in view.get("blocks", [])]
            return {"response_action": "errors", "errors": form_errors(outcome.form_errors, blocks)}
        if outcome.form is not None:
            channel = inbound.form_channel(view)
            return {"response_action": "update", "view": modal(outcome.form, channel)}
        return {}


def _refused(field: str) -> BoltResponse:
    """A signed payload with a field of the wrong type, refused before anything reads it, so
    it leaves nothing behind."""
    log.warning("slack payload refused: %s has the wrong shape", field)
    return BoltResponse(status=400, body={"error": f"malformed Slack payload: {field}"})

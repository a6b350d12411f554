"""slack-bolt wiring: the HTTP routes, Socket Mode, OAuth installs, and the work behind each
inbound kind.

Every delivery the bot handles is stored before Slack gets its acknowledgement (adapters/slack/
intake.py, bot/delivery/intake.py), by one middleware that serves HTTP and Socket Mode alike: Slack
does not send again what it was acknowledged, so an ack for work held only in memory is an
event lost in a crash. The work then runs from the stored row (`_work_off`) in this
process's intake workers, or in another replica's if this one dies first.

The one exception to ack-then-work is a modal submission, whose answer (close, or show the
errors inside the modal) depends on the outcome: stored first, it is worked off inline for up
to a budget below 3 seconds, then the modal is closed and the work finishes afterwards.
"""

import asyncio
import logging
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

from adapters.slack import inbound, intake, oauth, roster, shapes
from adapters.slack.blocks import form_errors, modal
from adapters.slack.bolt_log import bolt_logger
from adapters.slack.clients import SlackClients
from adapters.slack.installations import DatabaseInstallationStore
from adapters.slack.platform import SlackPlatform
from adapters.slack.reacted_messages import ReactedMessages
from adapters.slack.settings import slack_settings
from bot.contract.app import Bot, Outcome
from bot.contract.events import Actor
from bot.contract.ui import Form
from bot.delivery.intake import Held, Intake
from bot.store.secrets_at_rest import Sealer
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

PATH = "/slack/events"
FORM_ACK_BUDGET_SECONDS = 2.5
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."

Body = dict[str, Any]


class SlackAdapter:
    def __init__(self, bot: Bot, settings: Settings, inbox: Intake) -> None:
        self.bot = bot
        self.settings = settings
        self.slack_settings = slack = slack_settings(settings)
        self.intake = inbox
        inbox.register(intake.KIND, self._work_off)
        # One HTTP session for every Web API call: a connection per call costs a TLS handshake.
        self.http = aiohttp.ClientSession()
        # With a client id, each workspace installs the app (OAuth) and has its own token;
        # without one, the single SLACK_BOT_TOKEN serves the one workspace.
        self.multi_workspace = bool(slack.client_id)
        sealer = Sealer.from_setting(settings.token_encryption_keys)
        self.clients = SlackClients(
            self.http,
            slack.api_base_url,
            token="" if self.multi_workspace else slack.bot_token,
            db=bot.db,
            sealer=sealer,
            client_id=slack.client_id,
            client_secret=slack.client_secret,
        )
        self.platform = SlackPlatform(self.clients)
        self._verifier = SignatureVerifier(slack.signing_secret)
        if self.multi_workspace:
            store = DatabaseInstallationStore(bot.db, self.clients, bot.clock, sealer)
            self.app = oauth.multi_workspace_app(
                slack, self.clients.anonymous, store, bolt_logger()
            )
            self.app.use(self._check_shape)
            self.app.use(self._link_org)
            self.app.use(self._store)
            self._listen_for_revocations()
        else:
            assert self.clients.single is not None
            self.app = AsyncApp(
                client=self.clients.single,
                signing_secret=slack.signing_secret,
                logger=bolt_logger(),
            )
            self.app.use(self._check_shape)
            self.app.use(self._store)
            self._listen_for_single_revocation()
        # Finished deliveries, work after the ack included: for metrics, and for tests,
        # which cannot otherwise tell when the work behind an acknowledged request is done.
        self.completed = 0
        self._completion = asyncio.Condition()
        self._reacted = ReactedMessages()
        # Modal submissions still being worked on after their answer went to Slack.
        self._late: set[asyncio.Task[None]] = set()

    async def _link_org(
        self, body: Body, context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]
    ) -> None:
        """A team of a Grid org: remembered with its org, whose org-wide install may be the one
        that serves the team's deliveries later (clients.py)."""
        await self.clients.link(inbound.team_id(body), context.enterprise_id or "")
        await next_()

    async def _store(
        self, body: Body, context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Store a delivery for the bot, then acknowledge it: the response returned here is
        the ack, on HTTP and Socket Mode alike. A storage failure raises, so Slack gets no
        ack (a 500) and delivers again."""
        arrival = intake.arrival(body, context.bot_user_id or "")
        if arrival is None:
            await next_()
            return None
        if arrival == intake.DROP:
            await self._count()
            return BoltResponse(status=200, body="")
        if arrival.payload["label"] == "view_submission":
            held = await self.intake.store(arrival)
            if held is not None:
                return await self._answer_view(held, body)
        elif await self.intake.accept(arrival):
            return BoltResponse(status=200, body="")
        # Delivered again while the first copy waits: that copy does the work.
        await self._count()
        return BoltResponse(status=200, body="")

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
            async with self._counted():
                if (event.get("tokens") or {}).get("bot"):
                    self._stop_sending(inbound.team_id(body), "its bot token was revoked")

        async def on_uninstalled(body: Body) -> None:
            async with self._counted():
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
            async with self._counted():
                await revoked(event, context)

        async def on_uninstalled(context: AsyncBoltContext) -> None:
            async with self._counted():
                await uninstalled(context)

        async def on_team_access_revoked(event: Body) -> None:
            async with self._counted():
                await self.clients.unlink([str(team) for team in event.get("team_ids") or []])

        self.app.event("tokens_revoked")(on_revoked)
        self.app.event("app_uninstalled")(on_uninstalled)
        # An org-wide install taken out of some of its org's workspaces.
        self.app.event("team_access_revoked")(on_team_access_revoked)

    async def close(self) -> None:
        await self.http.close()

    async def sync_rosters(self) -> None:
        """Every installed workspace's members into the people directory, at start-up; a
        workspace whose roster cannot be read is logged and left to its events."""
        try:
            teams = await self.clients.teams()
        except Exception as failure:
            # The server runs on without rosters rather than stop with them.
            log.warning("slack rosters not read: %r", failure)
            return
        for team in teams:
            try:
                client = await self.clients.for_team(team)
                await roster.sync(self.bot, client, team, self.settings)
            except Exception as failure:
                # Start-up goes on without it: team_join and user_change keep it current.
                log.warning("slack roster of %s not read: %r", team, failure)

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
    async def _counted(self) -> AsyncIterator[None]:
        """Counts a delivery as finished once its work is over, failed or not."""
        try:
            yield
        finally:
            await self._count()

    async def _count(self) -> None:
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
        self,
        body: Body,
        form: Form | None,
        trigger_id: str | None,
        channel: str,
        message: str | None = None,
    ) -> None:
        """Open the form a handler asked for; the trigger id is valid for 3 seconds only.
        `message`: the one whose button opened it, for the submission to update."""
        if form is None or trigger_id is None:
            return
        client = await self._client(body)
        view = modal(form, channel, message or "")
        try:
            await client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as failure:
            log.warning("could not open form %s: %s", form.form_id, failure.response.get("error"))

    async def _work_off(self, payload: dict[str, Any]) -> None:
        """The work behind a stored delivery; raising leaves it stored for a retry."""
        body: Body = payload["body"]
        async with self._counted():
            match payload["label"]:
                case "command":
                    await self._command(body)
                case "direct_message":
                    actor = await self._actor(body, str(body["event"]["user"]))
                    commands = self.bot.router.commands
                    await self.bot.dispatch(inbound.direct_message(body, actor, commands))
                case "thread_reply":
                    actor = await self._actor(body, str(body["event"]["user"]))
                    await self.bot.dispatch(inbound.thread_reply(body, actor))
                case "app_mention":
                    await self._mention(body, str(payload["bot_user_id"]))
                case "reaction_added":
                    await self._reaction(body)
                case "app_home_opened":
                    actor = await self._actor(body, str(body["event"]["user"]))
                    await self.bot.dispatch(inbound.home_opened(body, actor))
                case "message_action":
                    await self._message_shortcut(body)
                case "block_actions":
                    await self._actions(body)
                case "view_submission":
                    await self._submit(body)
                case "profile":
                    found = roster.member(body["event"]["user"], self.settings)
                    await roster.apply(
                        self.bot, inbound.team_id(body), [found], self.bot.clock.now()
                    )

    async def _command(self, body: Body) -> None:
        actor = await self._actor(body, str(body["user_id"]))
        command = inbound.command_event(body, actor, self.slack_settings.commands)
        outcome = await self.bot.dispatch(command)
        await self._open_form(body, outcome.form, command.trigger_id, command.channel)

    async def _mention(self, body: Body, bot_user: str) -> None:
        actor = await self._actor(body, str(body["event"]["user"]))
        commands = self.bot.router.commands
        await self.bot.dispatch(inbound.mention(body, actor, bot_user, commands))

    async def _reaction(self, body: Body) -> None:
        event = body["event"]
        item = event["item"]
        client = await self._client(body)
        team = inbound.team_id(body)
        author, text = await self._reacted.read(team, client, str(item["channel"]), str(item["ts"]))
        author = str(event.get("item_user") or author)
        if not author:
            return
        actor = await self._actor(body, str(event["user"]))
        await self.bot.dispatch(inbound.reaction_event(body, actor, author, text))

    async def _message_shortcut(self, body: Body) -> None:
        actor = await self._actor(body, str(body["user"]["id"]))
        outcome = await self.bot.dispatch(inbound.message_action(body, actor))
        event_channel = str(body.get("channel", {}).get("id", ""))
        await self._open_form(body, outcome.form, str(body["trigger_id"]), event_channel)

    async def _actions(self, body: Body) -> None:
        actor = await self._actor(body, str(body["user"]["id"]))
        for action in inbound.action_events(body, actor):
            outcome = await self.bot.dispatch(action)
            await self._open_form(
                body, outcome.form, action.trigger_id, action.channel, action.message_id
            )

    async def _answer_view(self, held: Held, body: Body) -> BoltResponse:
        """The person is looking at the modal, and its answer is the ack: the stored
        submission is worked off here, and answered with its outcome if that comes within
        the budget; else the modal closes and the work goes on."""
        outcome: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()

        async def submit(payload: dict[str, Any]) -> None:
            async with self._counted():
                try:
                    outcome.set_result(await self._submit(payload["body"]))
                except Exception as failure:
                    outcome.set_exception(failure)
                    raise

        work = asyncio.create_task(self.intake.run(held, submit))
        ack = AsyncAck()  # type: ignore[no-untyped-call]  # untyped in bolt
        try:
            answer = await asyncio.wait_for(asyncio.shield(outcome), FORM_ACK_BUDGET_SECONDS)
        except TimeoutError:
            self._late.add(work)
            work.add_done_callback(self._late.discard)
            return await ack()
        except Exception:
            blocks = [b.get("block_id", "") for b in body["view"].get("blocks", [])]
            await work
            return await ack(response_action="errors", errors=form_errors({"": SORRY}, blocks))
        await work
        return await ack(**self._view_answer(answer, body))

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
            channel, message = inbound.form_origin(view)
            return {"response_action": "update", "view": modal(outcome.form, channel, message)}
        return {}


def _refused(field: str) -> BoltResponse:
    """A signed payload with a field of the wrong type, refused before anything reads it, so
    it leaves nothing behind."""
    log.warning("slack payload refused: %s has the wrong shape", field)
    return BoltResponse(status=400, body={"error": f"malformed Slack payload: {field}"})

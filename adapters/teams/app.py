"""Agents SDK wiring: the authenticated route, the turn handler, and answers to card clicks.

Teams posts every activity to POST /api/messages. The SDK's JWT check guards that route only
(not the whole server: /healthz and /slack/events must not need a Bot Framework token), then
its CloudAdapter and AgentApplication run the turn, which becomes a bot.contract.events event.

A card click (an `adaptiveCard/action` invoke) is answered in its HTTP response, which is what
refreshes the card in place: the answer is the handler's edit of the clicked card if it made
one, else its reply to the clicker, else the form it opened or its form errors. The outbox row
taken for the answer is marked sent, so the sender never posts it a second time.

Every activity is stored before it is answered (bot/delivery/intake.py) and worked off inline: the
HTTP answer, which Teams takes as the acknowledgement, comes once the turn is done. If the
process dies mid-turn, another replica (or the next start) replays the stored activity as a
turn of its own; a card click replayed so has nobody to answer over HTTP any more, so its
reply stays in the outbox and is posted.
"""

import logging
import warnings
from typing import Any

import aiohttp
from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core import (
    AgentApplication,
    AnonymousTokenProvider,
    ConnectionManager,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, Connections
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from pydantic import ValidationError
from sqlalchemy import delete, update
from sqlmodel import col, select

from adapters.teams import cards, files, inbound, references, roster
from adapters.teams.graph import Graph, GraphUnavailable
from adapters.teams.platform import TeamsPlatform
from adapters.teams.settings import teams_settings
from bot.contract.app import Bot, Outcome
from bot.contract.events import MENTION, Action, FormSubmit
from bot.contract.ui import Destination, Form, Message
from bot.delivery.intake import Arrival, Intake
from bot.delivery.outbox import FORGET_WHEN_SENT
from bot.models import OutboxMessage, Workspace
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

PATH = "/api/messages"
INTAKE_KIND = "teams"
CARD_ACTION = "adaptiveCard/action"
CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
TEXT_RESPONSE = "application/vnd.microsoft.activity.message"
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
# The SDK's JWT middleware reads its settings from the application under this name.
SDK_CONFIGURATION_KEY = "agent_configuration"


def sdk_configuration(settings: Settings) -> dict[str, Any]:
    """Our settings in the shape the SDK's loaders read from CONNECTIONS__... variables."""
    teams = teams_settings(settings)
    connection = {
        "CLIENTID": teams.client_id,
        "CLIENTSECRET": teams.client_secret,
        "TENANTID": teams.tenant_id,
        "ANONYMOUS_ALLOWED": teams.anonymous_allowed,
    }
    settings_only = {name: value for name, value in connection.items() if value != ""}
    return {"CONNECTIONS": {"SERVICE_CONNECTION": {"SETTINGS": settings_only}}}


def connection_manager(settings: Settings) -> Connections:
    configuration = sdk_configuration(settings)
    if teams_settings(settings).client_id:
        return MsalConnectionManager(**configuration)
    # Anonymous local testing without an Entra app: outbound calls carry no token, as the SDK
    # does itself for anonymous inbound requests.
    return ConnectionManager(lambda _: AnonymousTokenProvider(), **configuration)


class TeamsCloudAdapter(CloudAdapter):
    def create_claims_identity(self, agent_app_id: str = "") -> ClaimsIdentity:
        """The bot's identity for proactive turns. Without an Entra app (anonymous local
        testing) it is anonymous, as inbound turns are; otherwise the SDK would ask for user
        tokens that cannot exist."""
        if not agent_app_id:
            return ClaimsIdentity()
        return super().create_claims_identity(agent_app_id)


async def _accepted(_request: web.Request) -> None:
    """What the SDK's check calls once a request's token (or anonymous mode) is accepted: it
    has then put the caller's claims on the request."""


# The SDK's check alone: None once accepted, else its 401 response.
_authenticate = jwt_authorization_decorator(_accepted)  # type: ignore[no-untyped-call]


def _card_answer(card: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "type": CARD_RESPONSE, "value": card}


def _text_answer(text: str) -> dict[str, Any]:
    return {"statusCode": 200, "type": TEXT_RESPONSE, "value": text}


class TeamsAdapter:
    def __init__(self, bot: Bot, settings: Settings, intake: Intake) -> None:
        self.bot = bot
        self.intake = intake
        intake.register(INTAKE_KIND, self._replay)
        # Activities replayed from the intake: no HTTP request waits for their answer.
        self._replaying: set[str] = set()
        self.connections = connection_manager(settings)
        self.adapter = TeamsCloudAdapter(connection_manager=self.connections)
        # The SDK's default turn error handler posts the exception text into the chat. Turn
        # failures are answered in _on_error instead, and proactive sends must raise to the
        # outbox so that it can retry.
        self.adapter.on_turn_error = None
        self.app = AgentApplication[TurnState](
            storage=MemoryStorage(),
            connection_manager=self.connections,
            # Mentions are read from the entities (the bot's own included), not stripped blind.
            remove_recipient_mention=False,
            start_typing_timer=False,
        )
        self.app.activity(
            [
                ActivityTypes.message,
                ActivityTypes.invoke,
                ActivityTypes.message_reaction,
                ActivityTypes.conversation_update,
            ]
        )(self._on_turn)
        self.app.error(self._on_error)
        self.graph = Graph(settings)
        self.platform = TeamsPlatform(
            self.adapter,
            self.connections,
            bot.db,
            teams_settings(settings).client_id,
        )

    def mount(self, web_app: web.Application) -> None:
        with warnings.catch_warnings():
            # The SDK's own middleware looks this up by a plain string key.
            warnings.simplefilter("ignore", web.NotAppKeyWarning)
            web_app[SDK_CONFIGURATION_KEY] = self.connections.get_default_connection_configuration()
        web_app.router.add_post(PATH, self.guarded)

    async def guarded(self, request: web.Request) -> web.StreamResponse:
        """The SDK's token check, then handle(). Some malformed tokens (one without a `kid`
        in its header) make the check raise instead of answering 401: those get a 401 too,
        with one log line, since a stranger's bad token is not our failure."""
        try:
            denied = await _authenticate(request)
        except Exception as error:
            log.warning("rejected a Teams request: unreadable token (%s)", type(error).__name__)
            return web.json_response({"error": "invalid token"}, status=401)
        return denied if denied is not None else await self.handle(request)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """POST /api/messages, once the token (or anonymous mode) has been accepted: stored,
        then worked off inline. One that cannot be stored (no id, not an activity) or that
        is already stored (a redelivery) runs as it is; Bot.dispatch recognises a repeat."""
        arrival = await _arrival(request)
        held = await self.intake.store(arrival) if arrival is not None else None
        if held is None:
            return await self._process(request)
        answers: list[web.StreamResponse] = []

        async def turn(_payload: dict[str, Any]) -> None:
            answers.append(await self._process(request))

        await self.intake.run(held, turn)
        if not answers:
            return web.json_response({"error": "the activity could not be handled"}, status=500)
        return answers[0]

    async def _process(self, request: web.Request) -> web.StreamResponse:
        try:
            response = await self.adapter.process(request, self.app)
        except ValidationError:
            return web.json_response({"error": "malformed activity"}, status=400)
        return response if response is not None else web.Response(status=202)

    async def _replay(self, payload: dict[str, Any]) -> None:
        """A stored activity whose turn never finished, as a turn of this process."""
        activity = Activity.model_validate(payload["activity"])
        identity = self.adapter.create_claims_identity(self.platform.app_id)
        self._replaying.add(str(activity.id))
        try:
            await self.adapter.process_activity(identity, activity, self.app.on_turn)
        finally:
            self._replaying.discard(str(activity.id))

    async def _on_turn(self, context: TurnContext, _state: TurnState) -> None:
        activity = context.activity
        if not inbound.tenant_id(activity) or activity.from_property is None:
            log.info("ignored a %s activity without tenant or sender", activity.type)
            return
        async with self.bot.db.session() as session:
            await references.remember_activity(session, activity, self.bot.clock.now())
        match activity.type:
            case ActivityTypes.message:
                await self._on_message(context)
            case ActivityTypes.invoke if activity.name == CARD_ACTION:
                await self._on_card_action(context)
            case ActivityTypes.invoke if activity.name == files.CONSENT_INVOKE:
                await self._on_file_consent(context)
            case ActivityTypes.message_reaction:
                await self._on_reaction(activity)
            case ActivityTypes.conversation_update:
                await self._on_install(context)

    async def _on_error(self, context: TurnContext, error: Exception) -> None:
        log.error("teams turn failed", exc_info=error)
        if context.activity.type == ActivityTypes.invoke:
            await self._answer_invoke(context, _text_answer(SORRY))
            return
        try:
            await context.send_activity(SORRY)
        except Exception:
            log.exception("could not tell the user about the failure")

    async def _on_message(self, context: TurnContext) -> None:
        activity = context.activity
        sender = inbound.actor(activity)
        if sender.is_bot:
            return
        if inbound.is_submit_fallback(activity):
            click = await self._resolve_people(inbound.card_event(activity, sender), activity)
            outcome = await self.bot.dispatch(click)
            form = self._next_form(click, outcome, activity)
            if form is not None:
                await context.send_activity(cards.form_activity(form[0], form[1]))
            return
        text, addressed = inbound.spoken_text(activity)
        if not inbound.is_personal(activity):
            # Remembered for reaction kudos. Never a personal chat: what is said to the bot
            # alone (an anonymous question, a survey answer) must not be kept beside a name.
            async with self.bot.db.session() as session:
                now = self.bot.clock.now()
                await references.remember_message(session, activity, sender.id, text, now)
            # In a channel or group chat only what is addressed to the bot is for it.
            if not addressed:
                return
        event = inbound.message_event(activity, sender, self.bot.router.commands)
        outcome = await self.bot.dispatch(event)
        if outcome.form is not None:
            await context.send_activity(cards.form_activity(outcome.form))

    async def _on_reaction(self, activity: Activity) -> None:
        tenant = inbound.tenant_id(activity)
        async with self.bot.db.session() as session:
            reacted = await references.reacted_message(session, tenant, str(activity.reply_to_id))
        if reacted is None:
            log.info("reaction to a message the bot has not seen: nobody to credit")
            return
        sender = inbound.actor(activity)
        for event in inbound.reaction_events(activity, sender, reacted.author, reacted.text):
            await self.bot.dispatch(event)

    async def _on_install(self, context: TurnContext) -> None:
        """When the bot joins a team, learn its channels by name (e.g. the kudos channel) and
        its members (the people directory); people added later join the directory too, and
        people removed leave the team's roster."""
        activity = context.activity
        bot = activity.recipient.id if activity.recipient else None
        tenant = inbound.tenant_id(activity)
        team = (inbound.channel_data(activity).get("team") or {}).get("id")
        added = activity.members_added or []
        people = [m for m in added if m.id != bot and not inbound.is_bot_account(m)]
        if people:
            await roster.apply(self.bot, tenant, people, str(team) if team else None)
        if team and people and not any(m.id == bot for m in added):
            await self.read_graph(tenant, {str(m.id) for m in people})
        gone = activity.members_removed or []
        if team and gone:
            left = None if any(m.id == bot for m in gone) else [str(m.id) for m in gone if m.id]
            await roster.removed(self.bot, tenant, str(team), left)
        if not team or not any(m.id == bot for m in added):
            return
        # The SDK registers its connector client under the abstract base class.
        client = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
        if not isinstance(client, TeamsConnectorClient):
            return
        try:
            channels = await client.fetch_channel_list(team)
        except Exception:
            log.warning("could not list the channels of team %s", team, exc_info=True)
            return
        async with self.bot.db.session() as session:
            for channel in channels:
                if channel.id:
                    name = channel.name or "General"
                    now = self.bot.clock.now()
                    await references.remember_channel(session, activity, channel.id, name, now)
        await self._team_roster(inbound.tenant_id(activity), str(team))

    async def _team_roster(self, tenant: str, team: str) -> None:
        """The team's members, read through its General channel (whose id is the team's)."""
        try:
            accounts = await self.platform.channel_accounts(tenant, team)
        except Exception:
            log.warning("could not read the roster of team %s", team, exc_info=True)
            return
        await roster.apply(self.bot, tenant, accounts, team, whole=True)
        await self.read_graph(tenant)

    async def read_graph(self, tenant: str, only: set[str] | None = None) -> None:
        """Departments, offices and managers from Microsoft Graph (of everyone within reach,
        or `only` these people), if it is set up for `tenant`; a failure leaves the directory
        as it was, and is logged."""
        if not self.graph.serves(tenant):
            return
        try:
            await roster.from_graph(self.bot, self.graph, tenant, only)
        except (GraphUnavailable, aiohttp.ClientError) as failure:
            log.warning("microsoft graph not read for %s: %s", tenant, failure)

    async def read_graph_everywhere(self) -> None:
        """At start-up: Microsoft Graph for every tenant the app is in."""
        async with self.bot.db.session() as session:
            tenants = await session.exec(
                select(Workspace.external_id).where(Workspace.platform == inbound.PLATFORM)
            )
            found = tenants.all()
        for tenant in found:
            await self.read_graph(tenant)

    async def _on_card_action(self, context: TurnContext) -> None:
        activity = context.activity
        try:
            event = inbound.card_event(activity, inbound.actor(activity))
        except inbound.NotACardAction:
            await self._answer_invoke(
                context, _text_answer("Sorry, I did not understand that click."), status=400
            )
            return
        event = await self._resolve_people(event, activity)
        outcome = await self.bot.dispatch(event)
        if str(activity.id) in self._replaying:
            return  # nobody waits for this answer: its reply goes out through the outbox
        form = self._next_form(event, outcome, activity)
        if form is not None:
            await self._answer_invoke(context, _card_answer(cards.form_card(form[0], form[1])))
            return
        await self._answer_invoke(context, await self._answer(event))

    async def _on_file_consent(self, context: TurnContext) -> None:
        """The person accepted (or declined) a file consent card: upload the file to the
        URL Teams gave and show it, or say it is no longer there."""
        consent = files.Consent.parse(context.activity.value)
        if consent is None:
            await self._answer_invoke(context, {}, status=400)
            return
        await self._answer_invoke(context, {})
        if not consent.accepted:
            return
        sender = context.activity.from_property.id if context.activity.from_property else ""
        file = await files.stored_file(self.bot.db, consent.key, consent.index, str(sender))
        upload_url = consent.upload.get("uploadUrl")
        if file is None or not upload_url:
            await context.send_activity("That file is no longer available: please ask again.")
            return
        await files.upload(str(upload_url), file.data)
        card = files.info_card(consent.upload)
        await context.send_activity(Activity(type=ActivityTypes.message, attachments=[card]))

    async def _answer_invoke(
        self, context: TurnContext, body: dict[str, Any], status: int = 200
    ) -> None:
        response = InvokeResponse(status=status, body=body)
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))

    @staticmethod
    def _next_form(
        event: Action | FormSubmit, outcome: Outcome, activity: Activity
    ) -> tuple[Form, dict[str, str] | None] | None:
        """The form to show next: the submitted one again with its errors, or a new one."""
        if outcome.form_errors and isinstance(event, FormSubmit):
            submitted = cards.submitted_form(inbound.card_action(activity)[1])
            if submitted is not None:
                inputs = [
                    spec.model_copy(update={"initial": _joined(event.values.get(spec.name, ""))})
                    for spec in submitted.inputs
                ]
                return submitted.model_copy(update={"inputs": inputs}), outcome.form_errors
        if outcome.form is not None:
            return outcome.form, None
        return None

    async def _resolve_people(
        self, event: Action | FormSubmit, activity: Activity
    ) -> Action | FormSubmit:
        """People pickers answer with Entra object ids; the core knows people by Teams id."""
        if not isinstance(event, FormSubmit):
            return event
        form = cards.submitted_form(inbound.card_action(activity)[1])
        people = {spec.name for spec in form.inputs if spec.kind == "users"} if form else set()
        if not people:
            return event
        picked = {
            name: [p.strip() for p in _joined(event.values.get(name, "")).split(",") if p.strip()]
            for name in people
        }
        async with self.bot.db.session() as session:
            known = await references.teams_ids(
                session, event.workspace, [p for ids in picked.values() for p in ids]
            )
        values = dict(event.values)
        for name, ids in picked.items():
            values[name] = [known.get(p, p) for p in ids]
        return event.model_copy(update={"values": values})

    async def _answer(self, event: Action | FormSubmit) -> dict[str, Any]:
        """Take the outbox row that answers the click: an edit of the clicked card, else the
        reply to the clicker. A sender may claim it first; then the click gets a plain ack."""
        clicked_card = event.message_id
        prefix = f"{event.platform}:{event.event_id}:"
        async with self.bot.db.session() as session:
            rows = (
                await session.exec(
                    select(OutboxMessage)
                    .where(
                        col(OutboxMessage.key).startswith(prefix)
                        | col(OutboxMessage.key).startswith(FORGET_WHEN_SENT + prefix),
                        OutboxMessage.status == "pending",
                    )
                    .order_by(col(OutboxMessage.id))
                )
            ).all()
            edited = [row.update_of for row in rows if row.update_of]
            clicked = (
                set(
                    (
                        await session.exec(
                            select(OutboxMessage.key).where(
                                col(OutboxMessage.key).in_(edited),
                                OutboxMessage.platform_message_id == clicked_card,
                            )
                        )
                    ).all()
                )
                if edited and clicked_card
                else set()
            )
            row, in_place = self._answering_row(event, list(rows), clicked)
            if row is None:
                return _text_answer("Done.")
            mine = (col(OutboxMessage.id) == row.id) & (col(OutboxMessage.status) == "pending")
            taken = await session.exec(
                # A row to forget once sent (e.g. thanks for a survey answer) goes as it is sent.
                delete(OutboxMessage).where(mine)
                if row.key.startswith(FORGET_WHEN_SENT)
                else update(OutboxMessage)
                .where(mine)
                .values(
                    status="sent",
                    sent_at=self.bot.clock.now(),
                    attempts=OutboxMessage.attempts + 1,
                    platform_message_id=clicked_card if in_place else None,
                )
            )
            if taken.rowcount != 1:
                return _text_answer("Done.")
            message = Message.model_validate(row.message)
            names = await references.names(
                session, event.workspace, MENTION.findall(message.model_dump_json())
            )
        if in_place:
            return _card_answer(cards.card(message, names))
        return _text_answer(cards.plain_text(message.text, names))

    @staticmethod
    def _answering_row(
        event: Action | FormSubmit, rows: list[OutboxMessage], clicked: set[str]
    ) -> tuple[OutboxMessage | None, bool]:
        """The row to answer with, and whether it replaces the card (else it is a notice
        shown to the clicker alone, so a card everyone sees stays as it is)."""
        for row in rows:
            replaces = Destination.model_validate(row.destination).replaces
            if row.update_of in clicked or (replaces and replaces == event.message_id):
                return row, True
        for row in rows:
            destination = Destination.model_validate(row.destination)
            if not row.update_of and destination.reply_token == event.reply_token:
                # A submitted form, or a card in the clicker's own chat, has served its purpose.
                return row, isinstance(event, FormSubmit) or event.is_dm
        return None, False


def _joined(value: str | list[str]) -> str:
    return ",".join(value) if isinstance(value, list) else value


async def _arrival(request: web.Request) -> Arrival | None:
    """The activity as an intake arrival, under its id; None if it is no activity at all
    (the SDK then answers it as before)."""
    try:
        body = await request.json()
        activity = Activity.model_validate(body)
    except (ValueError, ValidationError):
        return None
    if not activity.id or not isinstance(body, dict):
        return None
    sender = activity.from_property.id if activity.from_property else ""
    return Arrival(
        inbound.PLATFORM,
        str(activity.id),
        INTAKE_KIND,
        {"activity": body},
        workspace=inbound.tenant_id(activity),
        actor=str(sender or ""),
    )

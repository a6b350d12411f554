"""Sending to Teams from the outbox, through the Agents SDK's adapter.

Every send is proactive: the stored conversation reference of the person or channel is
continued (`continue_conversation`), and a person whose personal chat does not exist yet gets
one (the connector's `create_conversation`), which is then stored. Teams has no ephemeral
messages, so a reply meant for one person in a channel goes to their personal chat.
"""

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable

from aiohttp import ClientResponseError
from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import (
    ChannelServiceAdapter,
    ConnectorClientBase,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthenticationConstants, Connections
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.teams import cards, files, inbound, references
from adapters.teams.pacing import TENANT, ConversationPacer
from bot.contract.events import MENTION, Actor
from bot.contract.platform import Delivery, PermanentFailure, RateLimited
from bot.contract.ui import Destination
from bot.delivery.group_delivery import send_to_each
from bot.delivery.pacing import Limits
from bot.store.db import Database

# The person or conversation is gone, or the bot is not (or no longer) allowed there.
PERMANENT_STATUSES = frozenset({403, 404})
DEFAULT_RETRY_AFTER = 1.0
REMEMBERED_KEYS = 10_000

Work = Callable[[TurnContext], Awaitable[None]]


def retry_after(failure: ClientResponseError) -> float:
    value = failure.headers.get("Retry-After", "") if failure.headers else ""
    try:
        return max(float(value), 0.0)
    except ValueError:
        return DEFAULT_RETRY_AFTER


def _reader(db: Database) -> Database:
    """Where lookup_person reads. The core asks it from inside the transaction dispatching an
    event, which on SQLite holds the write lock that every session of `db` takes at BEGIN; a
    plain reader sees the committed references (WAL) without waiting for that lock."""
    if db.is_postgres:
        return db
    return Database(create_async_engine(db.url, poolclass=NullPool))


class TeamsPlatform:
    """bot.contract.platform.Platform for every tenant the bot's Entra app is installed in."""

    name = inbound.PLATFORM

    def __init__(
        self, adapter: ChannelServiceAdapter, connections: Connections, db: Database, app_id: str
    ) -> None:
        self.adapter = adapter
        self.clients = RestChannelServiceClientFactory(connections)
        self.db = db
        self.app_id = app_id
        self.reader = _reader(db)
        # Teams has no idempotency key: a row re-sent after its `sent` mark was lost is
        # recognised here, within this process at least, instead of being posted twice.
        self._delivered: OrderedDict[str, str] = OrderedDict()
        self.pacer = ConversationPacer()

    def send_limits(self, delivery: Delivery) -> list[tuple[Hashable, Limits]]:
        """Teams' limit per app and tenant, kept by the outbox (bot.delivery.pacing.PacedSends)."""
        return [(delivery.workspace, TENANT)]

    async def send(self, delivery: Delivery) -> str | None:
        if delivery.key in self._delivered:
            return self._delivered[delivery.key]
        try:
            sent = await self._send(delivery)
        except ClientResponseError as failure:
            if failure.status == 429:
                raise RateLimited(retry_after(failure)) from failure
            if failure.status in PERMANENT_STATUSES:
                raise PermanentFailure(f"Teams refused ({failure.status})") from failure
            raise
        self._delivered[delivery.key] = sent
        if len(self._delivered) > REMEMBERED_KEYS:
            self._delivered.popitem(last=False)
        return sent

    async def _send(self, delivery: Delivery) -> str:
        if delivery.destination.kind == "group":
            return await send_to_each(delivery, self.send)
        tenant = delivery.workspace
        async with self.db.session() as session:
            mentioned = MENTION.findall(delivery.message.model_dump_json())
            names = await references.names(session, tenant, mentioned)
        outgoing = cards.activity(delivery.message, names)
        if delivery.message.attachments and not delivery.edit_message_id:
            personal = delivery.destination.kind in {"dm", "ephemeral"}
            extra = files.attachments(delivery.message, delivery.key, personal)
            outgoing.attachments = [*(outgoing.attachments or []), *extra]
        if delivery.edit_message_id:
            conversation, activity_id = inbound.split_message_id(delivery.edit_message_id)
            edited = await self._reference_for_edit(delivery, conversation)
            outgoing.id = activity_id
            await self.pacer.admit(conversation)

            async def update(context: TurnContext) -> None:
                await context.update_activity(outgoing)

            await self._continue(edited, update)
            return delivery.edit_message_id
        reference = await self._reference(tenant, delivery.destination)
        if reference is None:
            return await self._create_personal_chat(tenant, delivery.destination.user, outgoing)
        return await self._post(reference, outgoing)

    async def _post(self, reference: ConversationReference, outgoing: Activity) -> str:
        await self.pacer.admit(str(reference.conversation.id))
        sent: list[str] = []

        async def post(context: TurnContext) -> None:
            response = await context.send_activity(outgoing)
            sent.append(str(response.id or ""))

        await self._continue(reference, post)
        return inbound.message_id(str(reference.conversation.id), sent[0])

    async def _continue(self, reference: ConversationReference, work: Work) -> None:
        await self.adapter.continue_conversation(
            self.app_id, reference.get_continuation_activity(), work
        )

    async def _reference(
        self, tenant: str, destination: Destination
    ) -> ConversationReference | None:
        """Where to post; None for a person whose personal chat has yet to be created."""
        async with self.db.session() as session:
            if destination.kind in {"dm", "ephemeral"}:
                person = await references.find(session, tenant, references.PERSON, destination.user)
                if person is None:
                    raise PermanentFailure(f"{destination.user} has never been seen in Teams")
                return references.load(person) if person.conversation_id else None
            channel = await references.find_channel(session, tenant, destination.channel)
        if channel is None:
            raise PermanentFailure(
                f"no channel {destination.channel!r} known: add the app to its team, or "
                "change the setting"
            )
        reference = references.load(channel)
        if destination.kind == "thread" and destination.thread:
            root = inbound.split_message_id(destination.thread)[1] or destination.thread
            conversation = f"{channel.conversation_id};messageid={root}"
            reference.conversation = reference.conversation.model_copy(update={"id": conversation})
        return reference

    async def _reference_for_edit(
        self, delivery: Delivery, conversation: str
    ) -> ConversationReference:
        """Any reference to the same tenant gives the service URL and bot account; the
        conversation is the edited message's own."""
        destination = delivery.destination
        async with self.db.session() as session:
            row = await references.find(
                session, delivery.workspace, references.PERSON, destination.user
            )
            if row is None:
                row = await references.find_channel(
                    session, delivery.workspace, destination.channel
                )
        if row is None:
            raise PermanentFailure("nothing known about where the edited message is")
        reference = references.load(row)
        reference.conversation = ConversationAccount(id=conversation, tenant_id=delivery.workspace)
        return reference

    async def _connector(self, service_url: str) -> ConnectorClientBase:
        """A connector client made as the adapter makes its own (same identity and tokens)."""
        identity = self.adapter.create_claims_identity(self.app_id)
        return await self.clients.create_connector_client(
            None,
            identity,
            service_url,
            AuthenticationConstants.AGENTS_SDK_SCOPE,
            use_anonymous=identity.allow_anonymous,
        )

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        return [str(member.id) for member in await self.channel_accounts(workspace, channel)]

    async def channel_accounts(self, workspace: str, channel: str) -> list[ChannelAccount]:
        """The roster of a channel's team (the Bot Connector's paged members, with their
        e-mail where Teams gives it), each member remembered so that a DM can reach them
        before they ever write to the bot."""
        async with self.db.session() as session:
            row = await references.find_channel(session, workspace, channel)
        if row is None:
            raise PermanentFailure(f"no channel {channel!r} known: add the app to its team")
        reference = references.load(row)
        client = await self._connector(str(reference.service_url))
        members: list[ChannelAccount] = []
        try:
            token = None
            while True:
                page = await client.conversations.get_conversation_paged_members(
                    row.conversation_id or row.target, page_size=500, continuation_token=token
                )
                members += page.members or []
                token = page.continuation_token
                if not token:
                    break
        except ClientResponseError as failure:
            if failure.status in PERMANENT_STATUSES:
                raise PermanentFailure(f"Teams refused the roster ({failure.status})") from failure
            raise
        finally:
            await client.close()
        people = [m for m in members if m.id and not inbound.is_bot_account(m)]
        async with self.db.session() as session:
            for member in people:
                await references.remember_member(session, workspace, reference, member)
        return people

    async def _create_personal_chat(self, tenant: str, user_id: str, outgoing: Activity) -> str:
        """Open the person's chat with the bot, remember it, then post into it.

        The chat is created through a connector client made as the adapter makes its own
        (same identity, same token provider), and posted to like any stored chat.
        """
        async with self.db.session() as session:
            person = await references.find(session, tenant, references.PERSON, user_id)
        assert person is not None
        known = references.load(person)
        client = await self._connector(str(known.service_url))
        parameters = ConversationParameters(
            is_group=False,
            agent=known.agent,
            members=[ChannelAccount(id=user_id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        try:
            created = await client.conversations.create_conversation(parameters)
        finally:
            await client.close()
        chat = known.model_copy(
            update={
                "conversation": ConversationAccount(
                    id=created.id, conversation_type="personal", tenant_id=tenant
                ),
                "user": ChannelAccount(id=user_id, name=person.name),
            }
        )
        async with self.db.session() as session:
            await references.set_personal_chat(session, tenant, user_id, chat)
        return await self._post(chat, outgoing)

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        """Someone mentioned or seen before in this tenant; Teams offers no directory lookup
        without Microsoft Graph permissions."""
        async with self.reader.session() as session:
            row = await references.find(session, workspace, references.PERSON, user_id)
        return Actor(id=row.target, name=row.name) if row is not None else None

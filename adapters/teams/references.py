"""Conversation references and seen messages, kept in the store (adapters.teams.tables).

Remembered on every inbound activity: its sender (with their personal chat when the activity
came from it), the channel or group chat it came from, and the people it mentions; on install,
the team's channels by name. Proactive sends look them up here.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from microsoft_agents.activity import Activity, ChannelAccount, ConversationReference
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.teams import inbound
from adapters.teams.tables import ConversationKind, TeamsConversation, TeamsMessage
from bot.store.db_upsert import insert_ignore

PERSON: ConversationKind = "person"
CHANNEL: ConversationKind = "channel"
# How long a message is remembered for reactions to it to count.
MESSAGE_MEMORY = timedelta(days=7)
MAX_REMEMBERED_TEXT = 500


def _dump(reference: ConversationReference) -> dict[str, Any]:
    return reference.model_dump(mode="json", by_alias=True, exclude_none=True)


def load(row: TeamsConversation) -> ConversationReference:
    return ConversationReference.model_validate(row.reference)


async def _upsert(
    session: AsyncSession,
    tenant: str,
    kind: ConversationKind,
    target: str,
    now: datetime,
    **fields: Any,
) -> TeamsConversation:
    """Create or refresh a row; empty values never overwrite what is known."""
    await insert_ignore(
        session,
        TeamsConversation,
        [{"tenant_id": tenant, "kind": kind, "target": target, "reference": {}, "updated_at": now}],
    )
    row = await find(session, tenant, kind, target)
    assert row is not None
    for name, value in fields.items():
        if value:
            setattr(row, name, value)
    row.updated_at = now
    return row


async def find(
    session: AsyncSession, tenant: str, kind: ConversationKind, target: str
) -> TeamsConversation | None:
    found = await session.exec(
        select(TeamsConversation).where(
            TeamsConversation.tenant_id == tenant,
            TeamsConversation.kind == kind,
            TeamsConversation.target == target,
        )
    )
    return found.first()


async def find_channel(
    session: AsyncSession, tenant: str, channel: str
) -> TeamsConversation | None:
    """A channel by conversation id, or by name (`kudos`, `#kudos`, any case)."""
    by_id = await find(session, tenant, CHANNEL, channel)
    if by_id is not None:
        return by_id
    name = channel.lstrip("#").casefold()
    rows = await session.exec(
        select(TeamsConversation)
        .where(TeamsConversation.tenant_id == tenant, TeamsConversation.kind == CHANNEL)
        .order_by(col(TeamsConversation.id))
    )
    return next((row for row in rows if row.name.casefold() == name), None)


async def names(session: AsyncSession, tenant: str, user_ids: Iterable[str]) -> dict[str, str]:
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = await session.exec(
        select(TeamsConversation).where(
            TeamsConversation.tenant_id == tenant,
            TeamsConversation.kind == PERSON,
            col(TeamsConversation.target).in_(wanted),
        )
    )
    return {row.target: row.name for row in rows if row.name}


async def teams_ids(session: AsyncSession, tenant: str, aad_ids: Iterable[str]) -> dict[str, str]:
    """Entra object id -> Teams user id, for the people this bot has seen."""
    wanted = set(aad_ids)
    if not wanted:
        return {}
    rows = await session.exec(
        select(TeamsConversation).where(
            TeamsConversation.tenant_id == tenant,
            TeamsConversation.kind == PERSON,
            col(TeamsConversation.aad_object_id).in_(wanted),
        )
    )
    return {str(row.aad_object_id): row.target for row in rows}


def _channel_reference(activity: Activity, conversation: str) -> ConversationReference:
    reference = activity.get_conversation_reference()
    reference.activity_id = None
    reference.user = None
    reference.conversation = reference.conversation.model_copy(update={"id": conversation})
    return reference


async def remember_person(
    session: AsyncSession,
    activity: Activity,
    account: ChannelAccount,
    now: datetime,
    *,
    personal: bool = False,
) -> None:
    """A person the bot has seen; `personal` when `activity` is from their chat with the bot."""
    if not account.id or inbound.is_bot_account(account):
        return
    reference = activity.get_conversation_reference()
    reference.activity_id = None
    reference.user = account
    row = await _upsert(
        session,
        inbound.tenant_id(activity),
        PERSON,
        str(account.id),
        now,
        name=account.name or "",
        aad_object_id=account.aad_object_id,
        conversation_id=inbound.channel_id(activity) if personal else None,
    )
    # A reference from elsewhere still gives the service URL and the bot's account that
    # creating their personal chat needs; it never replaces the personal chat itself.
    if personal or not row.conversation_id:
        row.reference = _dump(reference)


async def remember_member(
    session: AsyncSession,
    tenant: str,
    channel: ConversationReference,
    account: ChannelAccount,
) -> None:
    """Someone found on a channel's roster: the channel's reference gives the service URL
    and bot account that creating their personal chat needs."""
    reference = channel.model_copy(update={"user": account, "activity_id": None})
    row = await _upsert(
        session,
        tenant,
        PERSON,
        str(account.id),
        datetime.now(UTC),
        name=account.name or "",
        aad_object_id=account.aad_object_id,
    )
    if not row.conversation_id:
        row.reference = _dump(reference)


async def remember_channel(
    session: AsyncSession, activity: Activity, conversation: str, name: str, now: datetime
) -> None:
    team = (inbound.channel_data(activity).get("team") or {}).get("id")
    await _upsert(
        session,
        inbound.tenant_id(activity),
        CHANNEL,
        conversation,
        now,
        name=name,
        team_id=team,
        conversation_id=conversation,
        reference=_dump(_channel_reference(activity, conversation)),
    )


async def remember_activity(session: AsyncSession, activity: Activity, now: datetime) -> None:
    """Everyone and everywhere an inbound activity shows the bot can be reached."""
    personal = inbound.is_personal(activity)
    if activity.from_property is not None:
        await remember_person(session, activity, activity.from_property, now, personal=personal)
    for account in (activity.members_added or []) + inbound.mentions(activity):
        await remember_person(session, activity, account, now)
    if not personal and activity.conversation is not None:
        here = inbound.channel_id(activity)
        named = inbound.channel_data(activity).get("channel") or {}
        name = named.get("name") if named.get("id") == here else None
        await remember_channel(
            session, activity, here, name or activity.conversation.name or "", now
        )
        # channelCreated and channelRenamed arrive in the team's conversation but name another
        # of its channels.
        if named.get("id") and named.get("id") != here and named.get("name"):
            await remember_channel(session, activity, str(named["id"]), str(named["name"]), now)


async def set_personal_chat(
    session: AsyncSession, tenant: str, user_id: str, reference: ConversationReference
) -> None:
    row = await find(session, tenant, PERSON, user_id)
    if row is not None:
        row.conversation_id = reference.conversation.id
        row.reference = _dump(reference)


async def remember_message(
    session: AsyncSession, activity: Activity, author: str, text: str, now: datetime
) -> None:
    tenant = inbound.tenant_id(activity)
    await session.exec(delete(TeamsMessage).where(col(TeamsMessage.seen_at) < now - MESSAGE_MEMORY))
    row = {
        "tenant_id": tenant,
        "message_id": str(activity.id),
        "author": author,
        "text": text[:MAX_REMEMBERED_TEXT],
        "seen_at": now,
    }
    await insert_ignore(session, TeamsMessage, [row])


async def reacted_message(
    session: AsyncSession, tenant: str, message_id: str
) -> TeamsMessage | None:
    found = await session.exec(
        select(TeamsMessage).where(
            TeamsMessage.tenant_id == tenant, TeamsMessage.message_id == message_id
        )
    )
    return found.first()

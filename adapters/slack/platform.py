"""Sending to Slack through the Web API, and looking people up.

Slack has no idempotency key for chat.postMessage: a message whose send succeeded but whose
`sent` mark was lost (a crash in between) would be posted again when its outbox claim
expires, by whichever replica claims it. So every post carries its outbox key as message
metadata, and a re-send of a claim whose sender died first looks for that key among the
conversation's latest messages. Keys delivered by this process are also remembered, so a
re-send within the process returns the first message id without asking Slack.
"""

import logging
import re
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.blocks import home_view, render
from adapters.slack.clients import NotInstalled, SlackClients
from adapters.slack.inbound import message_id
from adapters.slack.paging import pages, retry_after
from bot.contract.events import Actor
from bot.contract.platform import Delivery, PermanentFailure, RateLimited
from bot.contract.ui import Message
from bot.kit.expiring import Expiring

log = logging.getLogger(__name__)

# Errors that no retry can fix: the person or the channel is gone, or the bot may not post.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "users_not_found",
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "account_inactive",
        "user_disabled",
        "cannot_dm_bot",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
        "invalid_blocks",
        # A view Slack refuses (views.publish) is refused again on every retry.
        "invalid_arguments",
        # The bot token was revoked or the app uninstalled: no retry gets through.
        "token_revoked",
        "msg_too_long",
        "no_text",
        "restricted_action",
    }
)
# Where an ephemeral reply cannot go to the channel, the slash command's response_url or a
# DM still reaches the person.
UNREACHABLE_CHANNEL = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
# chat.update's answers for a message it cannot reach, such as one only its viewer sees.
NOT_UPDATABLE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")
PROFILE_TTL_SECONDS = 3600.0
# Profiles kept at most, the least lately used leaving first: a Grid org has people by the
# hundred thousand, and a process serving it for months must not keep every one it met.
REMEMBERED_PROFILES = 20_000
REMEMBERED_KEYS = 10_000
# Message metadata naming the outbox key of each post, and how many of a conversation's
# latest messages are searched for it before a re-send whose first attempt may have landed.
OUTBOX_EVENT = "rapport_outbox"
LOOKBACK = 100


def _error(failure: SlackApiError) -> str:
    return str(failure.response.get("error") or "")


def method(failure: SlackApiError) -> str:
    """The Web API method that failed, e.g. "chat.postMessage"."""
    return str(failure.response.api_url or "").rstrip("/").rsplit("/", 1)[-1]


def profile_actor(user: dict[str, Any]) -> Actor:
    profile = user.get("profile") or {}
    return Actor(
        id=str(user["id"]),
        name=profile.get("display_name") or user.get("real_name") or user.get("name") or "",
        timezone=user.get("tz"),
        email=profile.get("email"),
        is_bot=bool(user.get("is_bot")) or user.get("id") == "USLACKBOT",
        platform_admin=_grid_admin(user),
        locale=user.get("locale"),
    )


def _grid_admin(user: dict[str, Any]) -> bool | None:
    """In an Enterprise Grid org (where an org-wide install reaches workspaces its installer
    may never have seen), whether Slack counts them as an admin or owner; elsewhere None."""
    grid = user.get("enterprise_user")
    if not isinstance(grid, dict):
        return None
    flags = ("is_admin", "is_owner", "is_primary_owner")
    return any(bool(user.get(f)) or bool(grid.get(f)) for f in flags)


class SlackPlatform:
    """bot.contract.platform.Platform for Slack: each workspace's calls go out with its own bot
    token.

    Each public method first picks the workspace (`_use`); `self.client` is then that
    workspace's client for everything the call does. User, channel and DM ids are unique
    across Slack, so only channel names are cached per workspace.

    Slack limits each Web API method separately, per workspace: a 429 names its bucket
    ("workspace:method") so that the outbox holds back only what would hit the same limit.
    """

    name = "slack"

    def __init__(self, clients: SlackClients | AsyncWebClient) -> None:
        if isinstance(clients, AsyncWebClient):
            clients = SlackClients.of(clients)
        self.clients = clients
        self._current: ContextVar[tuple[str, AsyncWebClient]] = ContextVar("slack_workspace")
        self._channels: dict[tuple[str, str], str] = {}
        self._dms: dict[str, str] = {}
        self._people: Expiring[str, Actor | None] = Expiring(
            PROFILE_TTL_SECONDS, REMEMBERED_PROFILES
        )
        self._delivered: OrderedDict[str, str | None] = OrderedDict()

    @property
    def client(self) -> AsyncWebClient:
        return self._current.get()[1]

    @property
    def _team(self) -> str:
        return self._current.get()[0]

    async def _use(self, team: str) -> None:
        try:
            client = await self.clients.for_team(team)
        except NotInstalled as missing:
            raise PermanentFailure(str(missing)) from missing
        self._current.set((team, client))

    def buckets(self, delivery: Delivery) -> list[str]:
        """The methods sending `delivery` calls (bot.contract.platform.RateBuckets)."""
        destination = delivery.destination
        if delivery.edit_message_id:
            methods = ["chat.update"]
        elif destination.kind == "home":
            methods = ["views.publish"]
        elif destination.kind == "ephemeral":
            methods = ["chat.postEphemeral"]
        elif destination.kind == "dm" and destination.user not in self._dms:
            methods = ["conversations.open", "chat.postMessage"]
        else:
            methods = ["chat.postMessage"]
        if delivery.message.attachments and not delivery.edit_message_id:
            methods += ["files.getUploadURLExternal", "files.completeUploadExternal"]
        return [f"{delivery.workspace}:{name}" for name in methods]

    async def send(self, delivery: Delivery) -> str | None:
        if delivery.key in self._delivered:
            return self._delivered[delivery.key]
        await self._use(delivery.workspace)
        try:
            sent = await self._send(delivery)
        except SlackApiError as failure:
            wait = retry_after(failure)
            if wait is not None:
                raise RateLimited(wait, f"{delivery.workspace}:{method(failure)}") from failure
            if _error(failure) in PERMANENT_ERRORS:
                raise PermanentFailure(_error(failure)) from failure
            raise
        self._delivered[delivery.key] = sent
        if len(self._delivered) > REMEMBERED_KEYS:
            self._delivered.popitem(last=False)
        return sent

    async def _send(self, delivery: Delivery) -> str | None:
        destination = delivery.destination
        if destination.kind == "home":
            # The whole tab is replaced each time, so a re-send is harmless.
            view = home_view(delivery.message)
            await self.client.views_publish(user_id=destination.user, view=view)
            return None
        text, blocks = render(delivery.message)
        content: dict[str, Any] = {"text": text, "blocks": blocks} if blocks else {"text": text}
        if delivery.edit_message_id:
            await self._update(delivery, content)
            return delivery.edit_message_id
        match destination.kind:
            case "ephemeral":
                await self._ephemeral(delivery, content)
                if delivery.message.attachments:
                    # Slack cannot share a file with one person in a channel: it goes by DM.
                    await self._upload(await self._dm_channel(destination.user), delivery.message)
                return None
            case "dm":
                channel = await self._dm_channel(destination.user)
            case "group":
                channel = await self._dm_channel(*destination.users)
            case "thread":
                channel, _, ts = destination.thread.rpartition(":")
                channel = await self._channel_id(channel or destination.channel)
                content["thread_ts"] = ts
            case _:
                channel = await self._channel_id(destination.channel)
        content["metadata"] = {"event_type": OUTBOX_EVENT, "event_payload": {"key": delivery.key}}
        if delivery.uncertain and (earlier := await self._posted_before(channel, content)):
            return earlier
        posted = await self._post(channel, content)
        await self._upload(channel, delivery.message, content.get("thread_ts"))
        return posted

    async def _upload(self, channel: str, message: Message, thread_ts: str | None = None) -> None:
        """Share the message's files in the conversation it went to (files_upload_v2: get an
        upload URL per file, upload, then complete the upload into the channel)."""
        if not message.attachments:
            return
        await self.client.files_upload_v2(
            file_uploads=[
                {"file": file.data, "filename": file.name, "title": file.name}
                for file in message.attachments
            ],
            channel=channel,
            thread_ts=thread_ts,
        )

    async def _posted_before(self, channel: str, content: dict[str, Any]) -> str | None:
        """Our post under this outbox key among the conversation's latest messages, if a
        sender that died mid-send got it out; None when not found or not readable."""
        key = content["metadata"]["event_payload"]["key"]
        try:
            if "thread_ts" in content:
                found = await self.client.conversations_replies(
                    channel=channel,
                    ts=content["thread_ts"],
                    limit=LOOKBACK,
                    include_all_metadata=True,
                )
            else:
                found = await self.client.conversations_history(
                    channel=channel, limit=LOOKBACK, include_all_metadata=True
                )
        except SlackApiError as failure:
            log.info("cannot look for %s in %s before re-sending: %s", key, channel, failure)
            return None
        for message in found.get("messages") or []:
            metadata = message.get("metadata") or {}
            if (metadata.get("event_payload") or {}).get("key") == key:
                return message_id(channel, str(message["ts"]))
        return None

    async def _post(self, channel: str, content: dict[str, Any]) -> str:
        try:
            response = await self.client.chat_postMessage(channel=channel, **content)
        except SlackApiError as failure:
            # A public channel the bot was never invited to: join it (channels:join), once.
            if _error(failure) != "not_in_channel" or not channel.startswith("C"):
                raise
            await self.client.conversations_join(channel=channel)
            response = await self.client.chat_postMessage(channel=channel, **content)
        return message_id(str(response["channel"]), str(response["ts"]))

    async def _ephemeral(self, delivery: Delivery, content: dict[str, Any]) -> None:
        destination = delivery.destination
        try:
            await self.client.chat_postEphemeral(
                channel=await self._channel_id(destination.channel),
                user=destination.user,
                **content,
            )
            return
        except SlackApiError as failure:
            if _error(failure) not in UNREACHABLE_CHANNEL:
                raise
        if destination.reply_token and await self._respond(destination.reply_token, content):
            return
        await self._post(await self._dm_channel(destination.user), content)

    async def _update(self, delivery: Delivery, content: dict[str, Any]) -> None:
        """chat.update; a message only its viewer sees (ephemeral) cannot be updated that
        way, but the interaction it came from may still replace it through its response_url."""
        channel, _, ts = (delivery.edit_message_id or "").partition(":")
        try:
            await self.client.chat_update(channel=channel, ts=ts, **content)
        except SlackApiError as failure:
            token = delivery.destination.reply_token
            if (
                not (delivery.destination.replaces and token)
                or _error(failure) not in NOT_UPDATABLE
            ):
                raise
            if not await self._respond(token, content, replace=True):
                raise

    async def _respond(
        self, response_url: str, content: dict[str, Any], *, replace: bool = False
    ) -> bool:
        """Answer through an interaction's response_url (valid 30 minutes, a few uses)."""
        response = await AsyncWebhookClient(response_url).send(
            response_type="ephemeral", replace_original=replace, **content
        )
        if response.status_code != 200:
            log.info("response_url refused (%s): falling back to a DM", response.status_code)
        return response.status_code == 200

    async def _dm_channel(self, *users: str) -> str:
        """A DM, or with several people a group DM (a multi-person IM, up to 8 others)."""
        together = ",".join(sorted(set(users)))
        if together not in self._dms:
            response = await self.client.conversations_open(users=together)
            self._dms[together] = str(response["channel"]["id"])
        return self._dms[together]

    async def _channel_id(self, channel: str) -> str:
        """A channel id as given, or the id of the channel with that name (e.g. "kudos")."""
        name = channel.lstrip("#")
        if CHANNEL_ID.fullmatch(name):
            return name
        if (self._team, name) not in self._channels:
            await self._load_channels()
        if (self._team, name) not in self._channels:
            raise PermanentFailure(f"no channel named #{name}: create it, or change the setting")
        return self._channels[self._team, name]

    async def _load_channels(self) -> None:
        cursor = None
        while True:
            # team_id: an org-wide install's token (Enterprise Grid) must name the workspace;
            # Slack accepts and ignores it with a workspace's own token.
            response = await self.client.conversations_list(
                team_id=self._team,
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=1000,
                cursor=cursor,
            )
            for channel in response["channels"]:
                self._channels[self._team, str(channel["name"])] = str(channel["id"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        """conversations.members page by page, then each member's profile (from the people
        cache) to leave out bots and deactivated accounts."""
        await self._use(workspace)
        try:
            channel_id = await self._channel_id(channel)
            members: list[str] = []
            listed = pages(
                lambda cursor: self.client.conversations_members(
                    channel=channel_id, limit=200, cursor=cursor or None
                ),
                f"conversations.members of {channel_id}",
            )
            async for found in listed:
                members += [str(member) for member in found.get("members") or []]
        except SlackApiError as failure:
            if _error(failure) in PERMANENT_ERRORS:
                raise PermanentFailure(_error(failure)) from failure
            raise
        people = [await self.lookup_person(workspace, member) for member in members]
        return [person.id for person in people if person is not None and not person.is_bot]

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        cached = self._people.find(user_id)
        if cached is not None:
            return cached[0]
        await self._use(workspace)
        try:
            # The locale comes only when asked for: it is the person's Slack language.
            response = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as failure:
            if _error(failure) not in {"user_not_found", "users_not_found"}:
                raise
            person = None
        else:
            user = response["user"]
            person = None if user.get("deleted") else profile_actor(user)
        self._people.put(user_id, person)
        return person

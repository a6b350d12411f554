"""DiscordPlatform: delivers outbox rows through discord.py and classifies its failures.

Message ids handed back to the outbox are "channel_id:message_id", which is all an edit needs.
Channel messages carry a nonce derived from the outbox key with enforce_nonce, so a re-send
after a crash (within the few minutes Discord remembers nonces) returns the message already
posted instead of posting it twice. Replies to an interaction go out as ephemeral webhook
follow-ups while its token lives (15 minutes), else as a DM.

A message with more buttons than one Discord message holds goes out as several (see render);
the outbox keeps the first one's id, and each has a nonce of its own.
"""

import logging
from typing import Any, Literal

import discord

from adapters.discord import ids
from adapters.discord.acks import Acks
from adapters.discord.inbound import PLATFORM
from adapters.discord.render import ALLOWED_MENTIONS, Rendered, render_message, render_parts
from bot.contract.events import Actor
from bot.contract.platform import Delivery, PermanentFailure, RateLimited
from bot.contract.ui import Destination
from bot.delivery.group_delivery import send_to_each

log = logging.getLogger(__name__)

# When a 429 comes without a usable retry_after (Cloudflare answers that way), wait this long.
DEFAULT_RETRY_AFTER = 5.0
# Discord's error code for "A thread has already been created for this message".
THREAD_ALREADY_CREATED = 160004
THREAD_NAME = "Discussion"
# Minutes of quiet before Discord hides a thread (it comes back when someone writes in it).
THREAD_ARCHIVE: Literal[10080] = 10080
_TEXT_CHANNEL_TYPES = {discord.ChannelType.text.value, discord.ChannelType.news.value}


class DiscordPlatform:
    name = PLATFORM

    def __init__(self, client: discord.Client, acks: Acks) -> None:
        self.client = client
        self.acks = acks
        self._channels: dict[tuple[str, str], int] = {}

    async def send(self, delivery: Delivery) -> str | None:
        try:
            return await self._send(delivery)
        except discord.RateLimited as limited:
            raise RateLimited(limited.retry_after) from limited
        except discord.HTTPException as failure:
            if failure.status == 429:
                raise RateLimited(_retry_after(failure)) from failure
            if failure.status >= 500:
                raise  # transient: the outbox retries with backoff
            if failure.status == 404:
                self._channels.clear()  # a channel looked up by name may have been deleted
            # 4xx: unknown channel, member left, DMs closed, invalid body; retrying cannot help.
            raise PermanentFailure(f"Discord refused ({failure.status}): {failure}") from failure

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        if not (workspace.isdigit() and user_id.isdigit()):
            return None
        try:
            member = await self.client.http.get_member(int(workspace), int(user_id))
        except discord.NotFound:
            return None
        user = member["user"]
        name = member.get("nick") or user.get("global_name") or user["username"]
        return Actor(id=user_id, name=name, is_bot=bool(user.get("bot", False)))

    async def _send(self, delivery: Delivery) -> str | None:
        destination = delivery.destination
        if destination.kind == "group":
            return await send_to_each(delivery, self._send)
        if delivery.edit_message_id:
            return await self._edit(delivery.edit_message_id, render_message(delivery.message))
        rendered = render_parts(delivery.message)
        application_id = self.client.application_id
        if destination.reply_token and application_id and destination.kind in ("ephemeral", "dm"):
            try:
                await self._follow_up(application_id, destination.reply_token, rendered)
                return None
            except discord.HTTPException as expired:
                # Past 15 minutes the token is gone (401 invalid token, 404 unknown webhook):
                # the person still gets the answer, by DM.
                if expired.status not in (401, 403, 404):
                    raise
                log.info("interaction token expired (%s); replying by DM instead", expired)
        if destination.kind in ("ephemeral", "dm"):
            channel_id = await self._dm_channel(destination.user)
        elif destination.kind == "thread":
            return await self._reply_in_thread(delivery, destination, rendered)
        else:
            channel_id = await self._channel(delivery.workspace, destination.channel)
        return await self._post(channel_id, rendered, delivery.key)

    async def _post(
        self,
        channel_id: int,
        parts: list[Rendered],
        key: str,
        reference: discord.MessageReference | None = None,
    ) -> str:
        """Every part in order (only the first answers `reference`); the first one's id."""
        channel = self.client.get_partial_messageable(channel_id)
        posted: list[str] = []
        for number, rendered in enumerate(parts):
            extra: dict[str, Any] = {"view": rendered.view} if rendered.view else {}
            extra.update(rendered.uploads())
            if reference is not None and number == 0:
                extra["reference"] = reference
            message = await channel.send(
                content=rendered.content or None,
                embeds=rendered.embeds,
                allowed_mentions=ALLOWED_MENTIONS,
                nonce=ids.nonce(key if number == 0 else f"{key}#{number}"),
                **extra,
            )
            posted.append(f"{message.channel.id}:{message.id}")
        return posted[0]

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        """The guild's members who can see the channel. Listing members needs the privileged
        members intent (DISCORD_MEMBERS_INTENT, and Server Members Intent in the portal)."""
        if not self.client.intents.members:
            raise PermanentFailure(
                "reading a channel's members needs the members intent: enable Server Members "
                "Intent for the bot and set DISCORD_MEMBERS_INTENT=true"
            )
        channel_id = await self._channel(workspace, channel)
        guild = self.client.get_guild(int(workspace))
        found = guild.get_channel(channel_id) if guild else None
        if guild is None or found is None:
            raise PermanentFailure(f"no channel {channel!r} in guild {workspace}")
        members = [
            member.id
            async for member in guild.fetch_members(limit=None)
            if not member.bot and found.permissions_for(member).view_channel
        ]
        return [str(member) for member in sorted(members)]

    async def _edit(self, message_ref: str, rendered: Rendered) -> str:
        channel_id, _, message_id = message_ref.partition(":")
        if not (channel_id.isdigit() and message_id.isdigit()):
            raise PermanentFailure(f"not a Discord message reference: {message_ref!r}")
        channel = self.client.get_partial_messageable(int(channel_id))
        await channel.get_partial_message(int(message_id)).edit(
            content=rendered.content or None,
            embeds=rendered.embeds,
            view=rendered.view,  # None removes buttons the new version no longer has
            allowed_mentions=ALLOWED_MENTIONS,
        )
        return message_ref

    async def _follow_up(self, application_id: int, token: str, parts: list[Rendered]) -> None:
        """An ephemeral follow-up. Webhooks take no nonce, so Discord cannot deduplicate these;
        and an ephemeral message cannot be edited later through the channel, hence no id."""
        await self.acks.wait(token)
        # The interaction webhook (type 3) is what may send ephemeral messages.
        webhook = discord.Webhook.from_state(
            data={"id": application_id, "type": 3, "token": token},
            state=self.client._connection,
        )
        for rendered in parts:
            extra: dict[str, Any] = {"view": rendered.view} if rendered.view else {}
            extra.update(rendered.uploads())
            await webhook.send(
                content=rendered.content or discord.utils.MISSING,
                embeds=rendered.embeds,
                ephemeral=True,
                allowed_mentions=ALLOWED_MENTIONS,
                wait=True,
                **extra,
            )

    async def _dm_channel(self, user_id: str) -> int:
        if not user_id.isdigit():
            raise PermanentFailure(f"not a Discord user id: {user_id!r}")
        channel = await self.client.create_dm(discord.Object(int(user_id)))
        return channel.id

    async def _reply_in_thread(
        self, delivery: Delivery, destination: Destination, rendered: list[Rendered]
    ) -> str:
        """A thread is either a thread channel id, or "channel_id:message_id" of a message to
        answer as a reply (Discord's nearest thing to a Slack thread)."""
        channel_id, _, message_id = destination.thread.partition(":")
        if not channel_id.isdigit() or (message_id and not message_id.isdigit()):
            raise PermanentFailure(f"not a Discord thread: {destination.thread!r}")
        if destination.thread_of and message_id:
            thread_id = await self._thread_on(int(channel_id), int(message_id))
            return await self._post(thread_id, rendered, delivery.key)
        reference = None
        if message_id:
            reference = discord.MessageReference(
                message_id=int(message_id), channel_id=int(channel_id), fail_if_not_exists=False
            )
        return await self._post(int(channel_id), rendered, delivery.key, reference)

    async def _thread_on(self, channel_id: int, message_id: int) -> int:
        """The thread started from one of our messages, started now if it has none yet. A
        thread started from a message has that message's id."""
        try:
            await self.client.http.start_thread_with_message(
                channel_id, message_id, name=THREAD_NAME, auto_archive_duration=THREAD_ARCHIVE
            )
        except discord.HTTPException as failure:
            if failure.code != THREAD_ALREADY_CREATED:
                raise
        return message_id

    async def _channel(self, guild_id: str, channel: str) -> int:
        """A channel given by id, or by name ("kudos" or "#kudos") among the guild's text
        channels; names are looked up once per process."""
        if channel.isdigit():
            return int(channel)
        name = channel.lstrip("#").lower()
        cached = self._channels.get((guild_id, name))
        if cached is not None:
            return cached
        if not guild_id.isdigit():
            raise PermanentFailure(f"not a Discord guild id: {guild_id!r}")
        listed: list[dict[str, Any]] = await self.client.http.get_all_guild_channels(int(guild_id))
        for found in listed:
            if found.get("type") in _TEXT_CHANNEL_TYPES:
                self._channels[(guild_id, str(found["name"]).lower())] = int(found["id"])
        if (guild_id, name) not in self._channels:
            raise PermanentFailure(f"no text channel #{name} in guild {guild_id}")
        return self._channels[(guild_id, name)]


def _retry_after(failure: discord.HTTPException) -> float:
    header = failure.response.headers.get("Retry-After") if failure.response else None
    try:
        return float(header) if header else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER

"""What the core needs from a platform adapter, and how an adapter reports failures."""

from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from bot.contract.events import Actor
from bot.contract.ui import Destination, Message


class Member(BaseModel):
    """Someone on a platform's roster (Slack's users.list, a Discord guild's members), with
    what their profile says of the organisation. `manager` is the manager's platform user id;
    `active` is False for a deactivated or deleted account."""

    actor: Actor
    active: bool = True
    department: str | None = None
    location: str | None = None
    manager: str | None = None


class Delivery(BaseModel):
    """One outbox row, ready for an adapter. `key` is stable across retries of the row."""

    key: str
    workspace: str
    destination: Destination
    message: Message
    edit_message_id: str | None = None
    # An earlier attempt may have reached the platform: its sender died before recording
    # the outcome. A platform that can look for that earlier message should, before posting.
    uncertain: bool = False


class RateLimited(Exception):
    """The platform said slow down (HTTP 429): try again after `retry_after` seconds.

    `bucket` names what was limited when the platform limits parts of its API separately
    (Slack: per Web API method and workspace); "" means the whole platform waits.
    """

    def __init__(self, retry_after: float, bucket: str = "") -> None:
        super().__init__(
            f"rate limited{' on ' + bucket if bucket else ''}, retry after {retry_after}s"
        )
        self.retry_after = retry_after
        self.bucket = bucket


class PermanentFailure(Exception):
    """The platform refused for good (user gone, channel archived): do not retry."""


class Platform(Protocol):
    name: str

    async def send(self, delivery: Delivery) -> str | None:
        """Deliver and return the platform's message id (for later edits), if it has one.

        Raise RateLimited or PermanentFailure; anything else counts as transient.
        """
        ...

    async def lookup_person(self, workspace: str, user_id: str) -> Actor | None:
        """Profile of a user the bot has not seen yet, or None if there is no such user."""
        ...

    async def channel_members(self, workspace: str, channel: str) -> list[str]:
        """Platform user ids of the people in a channel (by id or name), bots left out.

        Raise PermanentFailure when there is no such channel or the bot cannot see it.
        """
        ...


@runtime_checkable
class InstantSends(Protocol):
    """A platform whose sends never wait on a network (the local shell) while `instant_sends`
    holds: sending its conversations at once gains nothing, so the outbox keeps them in one
    lane, in batch order, and what people see comes out in the same order on every run."""

    instant_sends: bool


@runtime_checkable
class RateBuckets(Protocol):
    """A platform whose limits are per bucket: which buckets sending `delivery` would use.

    The outbox holds a delivery back only while one of its own buckets is paused, so a limit
    on one kind of call does not stop the others.
    """

    def buckets(self, delivery: Delivery) -> list[str]: ...

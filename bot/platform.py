"""What the core needs from a platform adapter, and how an adapter reports failures."""

from typing import Protocol

from pydantic import BaseModel

from bot.events import Actor
from bot.ui import Destination, Message


class Delivery(BaseModel):
    """One outbox row, ready for an adapter. `key` is stable across retries of the row."""

    key: str
    workspace: str
    destination: Destination
    message: Message
    edit_message_id: str | None = None


class RateLimited(Exception):
    """The platform said slow down (HTTP 429): try again after `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


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

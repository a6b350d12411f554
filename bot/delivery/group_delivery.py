"""A group message on a platform whose bots cannot open group DMs: one DM to each person."""

from collections.abc import Awaitable, Callable

from bot.contract.platform import Delivery
from bot.contract.ui import Destination

SendOne = Callable[[Delivery], Awaitable[str | None]]


async def send_to_each(delivery: Delivery, send: SendOne) -> str:
    """Send each person their own copy; the returned id lists every copy ("id id ...") in
    the order of the group's people, so that an edit of the group message reaches them all."""
    edits = (delivery.edit_message_id or "").split()
    sent = []
    for index, user in enumerate(delivery.destination.users):
        one = delivery.model_copy(
            update={
                # Each copy is a message of its own to the platform's idempotency checks.
                "key": f"{delivery.key}:{user}",
                "destination": Destination(kind="dm", user=user),
                "edit_message_id": edits[index] if index < len(edits) else None,
            }
        )
        sent.append(await send(one) or "")
    return " ".join(sent)

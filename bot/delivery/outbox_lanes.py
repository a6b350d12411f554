"""Lanes: a batch of outbox rows split so that different conversations can be sent at once.

Rows that share a conversation, or that edit or reply under an earlier row of the batch, end
up in one lane, in batch order, so they reach the platform one after another as before; rows
of different lanes do not wait for each other. Lanes come out in the order of their first row.
"""

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

from bot.contract.platform import Delivery

T = TypeVar("T")


def places(delivery: Delivery) -> list[Hashable]:
    """The conversations a delivery shows up in, as its recipients see them.

    An ephemeral message is the person's own (Teams and Discord send it as a DM), and a group
    message lands in each member's DM where the platform cannot open a group DM, so both are
    ordered with those DMs.
    """
    destination = delivery.destination
    match destination.kind:
        case "channel" | "thread":
            found = [("channel", destination.channel)]
        case "dm" | "ephemeral":
            found = [("dm", destination.user)]
        case "home":
            found = [("home", destination.user)]
        case "group":
            found = [("dm", user) for user in destination.users]
    return [(delivery.workspace, *place) for place in found]


def lanes(batch: Sequence[T], links: Callable[[T], Iterable[Hashable]]) -> list[list[T]]:
    """`batch` split into lanes: items sharing any link, directly or through others, share one."""
    # Imported on the first batch, not at start: the whole of networkx loads with it.
    from networkx.utils import UnionFind

    joined = UnionFind()
    firsts: list[Hashable] = []
    for item in batch:
        found = list(links(item))
        joined.union(*found)
        firsts.append(found[0])
    grouped: dict[Hashable, list[T]] = {}
    for item, first in zip(batch, firsts, strict=True):
        grouped.setdefault(joined[first], []).append(item)
    return list(grouped.values())

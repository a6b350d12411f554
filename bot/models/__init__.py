"""The core's tables. A feature's tables live in its package (handlers/<feature>/tables.py)
and an adapter's in its own; bot/wiring/schema.py imports them all, so that SQLModel.metadata
(and Alembic) sees every table.

Each table's module is imported when its name is first asked for (`from bot.models import
InboundEvent`): `rapport run` opens its port with the intake's table alone, and the others
load with the features behind it (bot/wiring/serve.py).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.models.audit import AuditEntry
    from bot.models.base import SQLModel
    from bot.models.inbound import InboundEvent, ProcessedEvent
    from bot.models.insights import Interaction
    from bot.models.outbox import OutboxMessage, RateLimitPause
    from bot.models.person import Person
    from bot.models.schedule import DueWork, Schedule
    from bot.models.workspace import Workspace

# Each name, and the module that defines it.
_MODULES = {
    "AuditEntry": "audit",
    "DueWork": "schedule",
    "InboundEvent": "inbound",
    "Interaction": "insights",
    "OutboxMessage": "outbox",
    "Person": "person",
    "ProcessedEvent": "inbound",
    "RateLimitPause": "outbox",
    "SQLModel": "base",
    "Schedule": "schedule",
    "Workspace": "workspace",
}

__all__ = [
    "AuditEntry",
    "DueWork",
    "InboundEvent",
    "Interaction",
    "OutboxMessage",
    "Person",
    "ProcessedEvent",
    "RateLimitPause",
    "SQLModel",
    "Schedule",
    "Workspace",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_MODULES[name]}"), name)


def import_all() -> None:
    """Import every core table, registering each with SQLModel.metadata."""
    for module in set(_MODULES.values()):
        import_module(f"{__name__}.{module}")

"""The core's tables. A feature's tables live in its package (handlers/<feature>/tables.py)
and an adapter's in its own; bot/wiring/schema.py imports them all, so that SQLModel.metadata
(and Alembic) sees every table."""

from bot.models.audit import AuditEntry
from bot.models.base import SQLModel
from bot.models.inbound import InboundEvent, ProcessedEvent
from bot.models.insights import Interaction
from bot.models.outbox import OutboxMessage, RateLimitPause
from bot.models.person import Person
from bot.models.schedule import DueWork, Schedule
from bot.models.workspace import Workspace

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

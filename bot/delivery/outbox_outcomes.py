"""The outcomes of sends (sent, or dead), recorded for many messages in one transaction.

Each sent message was marked in a transaction of its own: under a burst of kudos, two or
three messages an event, those were most of the database's write transactions, each taking
SQLite's one writer from the handling of new events (benchmarks/README.md, Slack ingest). The
lanes of a batch now hand their outcomes to a group commit: the first goes at once, those
that arrive while it commits share the next transaction, one UPDATE for all of them.

Marking a row sent is always right, whoever holds its claim now: the message did go out.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.models import OutboxMessage
from bot.models.outbox import OutboxStatus

_TABLE = OutboxMessage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SendOutcome:
    """How a claimed row's send ended; `forget` rows are deleted once sent."""

    row_id: int
    status: OutboxStatus
    forget: bool = False
    message_id: str | None = None
    error: str | None = None

    @property
    def deletes(self) -> bool:
        return self.forget and self.status == "sent"


_MARK = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("row_id"))
    .values(
        status=bindparam("outcome"),
        platform_message_id=bindparam("message_id"),
        sent_at=bindparam("at"),
        last_error=bindparam("error"),
        attempts=_TABLE.c.attempts + 1,
    )
)


async def record(connection: AsyncConnection, outcomes: list[SendOutcome], now: datetime) -> None:
    """Write `outcomes` in the caller's transaction: one DELETE, one UPDATE executemany."""
    gone = [outcome.row_id for outcome in outcomes if outcome.deletes]
    if gone:
        await connection.execute(delete(_TABLE).where(_TABLE.c.id.in_(gone)))
    marked = [
        {
            "row_id": outcome.row_id,
            "outcome": outcome.status,
            "message_id": outcome.message_id,
            "at": now,
            "error": outcome.error[:1000] if outcome.error else None,
        }
        for outcome in outcomes
        if not outcome.deletes
    ]
    if marked:
        await connection.execute(_MARK, marked)

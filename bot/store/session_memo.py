"""What a transaction read once and reads again, kept in its session.

Events handled together (bot/contract/group_commit.py) mostly belong to one workspace and
read the same settings rows, e.g. its company values. A feature may keep such a read here
for the rest of the transaction; whatever a savepoint rolls back may have changed it, so the
memo is forgotten whenever a savepoint or the transaction rolls back.
"""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from sqlmodel.ext.asyncio.session import AsyncSession

_MEMO = "memo"


def memo(session: AsyncSession) -> dict[tuple[object, ...], Any]:
    found: dict[tuple[object, ...], Any] = session.info.setdefault(_MEMO, {})
    return found


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous: SessionTransaction) -> None:
    session.info.pop(_MEMO, None)

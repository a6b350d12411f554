"""One kind of data kept for a window, then deleted in batches: what a retention rule is.

The core keeps its own kinds (bot/store/retention.py); a feature or an adapter contributes the
kinds of its tables through its `Feature` (bot/contract/feature.py).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import SQLModel, col, delete, select

from bot.store.db import Database


@dataclass(frozen=True)
class Expiry:
    """One kind of data, kept `days` days (0: for ever): `purge` removes what is older than a
    cutoff and says how many rows it changed."""

    kind: str
    days: int
    purge: Callable[["Purge", datetime], Awaitable[int]]


@dataclass
class Purge:
    db: Database
    batch: int
    removed: dict[str, int] = field(default_factory=dict)

    async def delete_where(self, model: type[SQLModel], *conditions: Any) -> int:
        """Delete every row of `model` matching `conditions`, `batch` rows per transaction."""
        key = col(model.id)  # type: ignore[attr-defined]
        total = 0
        while True:
            async with self.db.session() as session:
                ids = list(
                    (await session.exec(select(key).where(*conditions).limit(self.batch))).all()
                )
                if ids:
                    await session.exec(delete(model).where(key.in_(ids)))
            total += len(ids)
            if len(ids) < self.batch:
                return total

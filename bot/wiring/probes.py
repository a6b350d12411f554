"""/healthz and /readyz: is this replica alive, and may it take traffic.

`rapport run` answers both from the moment its port is bound, which is before the features,
the platforms and the runtime have loaded (bot/wiring/serve.py):

- /healthz: alive and reaching the database (200, else 503), and whether the features have
  loaded (`"features": "loading"` or `"ready"`). A liveness check: a replica that is loading
  is healthy.
- /readyz: 200 once everything has loaded, the runtime serves and the database answers; 503
  while loading, while stopping, or with the database unreachable. Where a load balancer must
  wait before sending traffic (Kubernetes readiness and startup probes, Docker's
  HEALTHCHECK), it asks this one.
"""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiohttp import web
from sqlalchemy import text

from bot.store.db import Database
from bot.wiring.version import rapport_version

# A load balancer's health check must get an answer even while the database hangs.
DATABASE_CHECK_SECONDS = 3.0


class Phase(StrEnum):
    LOADING = "loading"
    READY = "ready"
    STOPPING = "stopping"


@dataclass
class Readiness:
    """What the probes report, updated by `rapport run` as it starts and stops."""

    db: Database
    replica: str
    # Whether lines typed on stdin reach the local platform.
    console: bool = False
    phase: Phase = Phase.LOADING
    platforms: list[str] = field(default_factory=list)
    # Whether this replica holds the trigger lock: known once the runtime exists.
    fires_triggers: Callable[[], bool] | None = None

    def ready(self, platforms: list[str], fires_triggers: Callable[[], bool]) -> None:
        self.platforms, self.fires_triggers = sorted(platforms), fires_triggers
        self.phase = Phase.READY

    def about(self) -> dict[str, Any]:
        about: dict[str, Any] = {
            "version": rapport_version(),
            "replica": self.replica,
            "features": Phase.LOADING if self.phase == Phase.LOADING else Phase.READY,
        }
        if self.fires_triggers is not None:
            about |= {"platforms": self.platforms, "fires_triggers": self.fires_triggers()}
        return about


READINESS_KEY = web.AppKey("readiness", Readiness)


async def healthz(request: web.Request) -> web.Response:
    """200 when this replica reaches the database, 503 (take it out of rotation) when not."""
    readiness = request.app[READINESS_KEY]
    failure = await _database_failure(readiness.db)
    if failure is not None:
        return web.json_response(
            {"status": "unhealthy", "database": "unreachable", "error": failure}
            | readiness.about(),
            status=503,
        )
    database = readiness.db.engine.dialect.name
    return web.json_response({"status": "ok", "database": database} | readiness.about())


async def readyz(request: web.Request) -> web.Response:
    """200 when this replica serves everything and reaches the database; 503 before, after
    SIGTERM, and while the database is unreachable."""
    readiness = request.app[READINESS_KEY]
    answer = {"status": str(readiness.phase)} | readiness.about()
    if readiness.phase != Phase.READY:
        return web.json_response(answer, status=503)
    failure = await _database_failure(readiness.db)
    if failure is not None:
        answer |= {"status": "unhealthy", "database": "unreachable", "error": failure}
        return web.json_response(answer, status=503)
    return web.json_response(answer)


async def _database_failure(db: Database) -> str | None:
    try:
        async with asyncio.timeout(DATABASE_CHECK_SECONDS), db.session() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception as failure:
        return repr(failure)
    return None

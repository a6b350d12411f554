"""The bot's web application: /metrics; adapters and features (the dashboard) mount their
routes on it. `rapport run` serves it behind the probes once it has loaded (bot/wiring/serve.py)."""

import hmac
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from bot.contract.app import Bot
from bot.observe import metrics, scrape
from bot.time.runtime import Runtime

if TYPE_CHECKING:
    # Only for the annotations: an adapter, and its SDK, loads when its credentials are set.
    from adapters.slack import SlackAdapter
    from adapters.teams import TeamsAdapter

BOT_KEY = web.AppKey("bot", Bot)
RUNTIME_KEY = web.AppKey("runtime", Runtime)


async def metrics_page(request: web.Request) -> web.Response:
    """Prometheus text: the process's counters, and the queues as the database has them now."""
    bot = request.app[BOT_KEY]
    token = bot.settings.metrics_token
    given = request.headers.get("Authorization", "")
    if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return web.Response(status=401, text="a metrics token is needed\n")
    runtime = request.app.get(RUNTIME_KEY)
    intake = runtime.intake if runtime is not None else None
    snapshot = await scrape.read(bot.db, intake, bot.clock.now())
    queues = CollectorRegistry(auto_describe=True)
    queues.register(scrape.SnapshotCollector(snapshot))
    body = generate_latest(metrics.REGISTRY) + generate_latest(queues)
    response = web.Response(body=body)
    response.headers["Content-Type"] = CONTENT_TYPE_LATEST
    return response


def make_web_app(
    bot: Bot,
    slack: "SlackAdapter | None" = None,
    teams: "TeamsAdapter | None" = None,
    *,
    runtime: Runtime | None = None,
) -> web.Application:
    app = web.Application()
    app[BOT_KEY] = bot
    if runtime is not None:
        app[RUNTIME_KEY] = runtime
    if slack is not None:
        slack.mount(app)
    if teams is not None:
        teams.mount(app)
    for feature in bot.router.features:
        if feature.pages is not None:
            feature.pages(app, bot)
    app.router.add_get("/metrics", metrics_page)
    return app

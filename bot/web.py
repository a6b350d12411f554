"""The one HTTP server: health and metrics now; adapters mount their routes on it."""

from aiohttp import web
from sqlalchemy import text

from adapters.slack import SlackAdapter
from adapters.teams import TeamsAdapter
from bot.app import Bot
from handlers.dashboard.routes import mount as mount_dashboard

BOT_KEY = web.AppKey("bot", Bot)


async def healthz(request: web.Request) -> web.Response:
    bot = request.app[BOT_KEY]
    try:
        async with bot.db.session() as session:
            await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except Exception as failure:
        return web.json_response({"status": "unhealthy", "database": repr(failure)}, status=503)
    return web.json_response(
        {"status": "ok", "database": bot.db.engine.dialect.name, "platforms": sorted(bot.platforms)}
    )


def make_web_app(
    bot: Bot, slack: SlackAdapter | None = None, teams: TeamsAdapter | None = None
) -> web.Application:
    app = web.Application()
    app[BOT_KEY] = bot
    if slack is not None:
        slack.mount(app)
    if teams is not None:
        teams.mount(app)
    mount_dashboard(app, bot)
    app.router.add_get("/healthz", healthz)
    return app

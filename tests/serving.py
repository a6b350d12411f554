"""The bot's web application as `rapport run` serves it once loaded: behind the probes, through
the late application (bot/wiring/serve.py), so that tests of routes see what a platform sees."""

from aiohttp import web

from bot.contract.app import Bot
from bot.wiring.late_app import LateApp
from bot.wiring.probes import Readiness
from bot.wiring.serve import front_app


async def as_served(app: web.Application, bot: Bot) -> web.Application:
    """The server's application with `app` served behind its probes, ready."""
    readiness = Readiness(bot.db, "test")
    readiness.ready(list(bot.platforms), lambda: False)
    late = LateApp()
    await late.serve(app)
    return front_app(readiness, late)

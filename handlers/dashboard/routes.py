"""The dashboard on the bot's aiohttp server: sign in with a one-time link, then read pages.

GET /dashboard/login/{token} shows a sign-in button (link previews must not use the link up);
POST uses it up and sets a signed, short-lived cookie. Each page checks the cookie and that
the person still holds the admin or community manager role. Reads of individual-level data
are written to the audit log in the same transaction that reads them, cached or not.
"""

import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiohttp import web
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.app import Bot
from bot.kit.audit import record
from bot.kit.roles import Role, has_role
from bot.models import Person, Workspace
from handlers.dashboard import cookies, data, links, pages
from handlers.dashboard.network_cache import NetworkCache

BOT = web.AppKey("dashboard_bot", Bot)
KEY = web.AppKey("dashboard_key", bytes)
NETWORK = web.AppKey("dashboard_network", NetworkCache)
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
REFUSED = {
    "unknown": (403, "This link isn't valid", "Ask for a new one with /rapport dashboard."),
    "used": (
        410,
        "This link has already been used",
        "Each link works once. Ask for a new one with /rapport dashboard.",
    ),
    "expired": (
        410,
        "This link has expired",
        "Links work for a short while only. Ask for a new one with /rapport dashboard.",
    ),
}
Page = Callable[[AsyncSession, Workspace, Person, Bot], Awaitable[str]]


def html(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", headers=HEADERS)


def refused(reason: str) -> web.Response:
    status, title, text = REFUSED[reason]
    return html(pages.message_page(title, text), status)


def may_see(person: Person | None) -> bool:
    return person is not None and has_role(person.roles, Role.COMMUNITY_MANAGER)


async def sign_in_form(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    async with bot.db.session() as session:
        found = await links.check(session, request.match_info["token"], bot.clock.now())
    if isinstance(found, str):
        return refused(found)
    return html(pages.sign_in_page(request.path))


async def sign_in(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    now = bot.clock.now()
    async with bot.db.session() as session:
        found = await links.redeem(session, request.match_info["token"], now)
        if isinstance(found, str):
            return refused(found)
        person = await session.get(Person, found.person_id)
        if not may_see(person):
            return refused("unknown")
        await record(session, found.workspace_id, found.person_id, "dashboard.sign_in", now)
    expires = now + timedelta(minutes=bot.settings.dashboard_session_minutes)
    value = cookies.sign(
        request.app[KEY], cookies.Session(found.workspace_id, found.person_id, expires)
    )
    response = web.Response(status=303, headers={**HEADERS, "Location": "/dashboard"})
    response.set_cookie(
        cookies.NAME,
        value,
        max_age=bot.settings.dashboard_session_minutes * 60,
        path="/dashboard",
        httponly=True,
        samesite="Strict",
        secure=bot.settings.base_url().startswith("https://"),
    )
    return response


def guarded(render: Page) -> Callable[[web.Request], Awaitable[web.Response]]:
    """A page for a signed-in admin or community manager; anyone else is told how to get in."""

    async def handle(request: web.Request) -> web.Response:
        bot = request.app[BOT]
        signed = cookies.verify(
            request.app[KEY], request.cookies.get(cookies.NAME, ""), bot.clock.now()
        )
        if signed is None:
            return html(
                pages.message_page(
                    "Please sign in", "Ask the bot for a link with /rapport dashboard."
                ),
                401,
            )
        async with bot.db.session() as session:
            if bot.db.is_postgres:
                # One snapshot for the whole page: its queries (and the network cache's
                # fingerprint of what they read) must not see different commits.
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            person = await session.get(Person, signed.person_id)
            workspace = await session.get(Workspace, signed.workspace_id)
            if workspace is None or person is None or not may_see(person):
                return refused("unknown")
            return html(await render(session, workspace, person, bot))

    return handle


async def trends_page(session: AsyncSession, workspace: Workspace, person: Person, bot: Bot) -> str:
    now = bot.clock.now()
    return pages.overview(
        await data.overview(session, workspace, now, bot.settings), person.display_name
    )


def network_page(cache: NetworkCache) -> Page:
    """The network, computed again only when its inputs changed; every view is audited."""

    async def render(session: AsyncSession, workspace: Workspace, person: Person, bot: Bot) -> str:
        now = bot.clock.now()
        found = await cache.network(session, workspace, now)
        await record(
            session,
            workspace.id or 0,
            person.id,
            "dashboard.read",
            now,
            page="network",
            people=len(found.picture.departments),
            since=found.since.isoformat(),
            until=found.until.isoformat(),
        )
        chart = cache.chart(workspace.id or 0, pages.network_chart)
        return pages.network(found, chart, person.display_name)

    return render


def mount(app: web.Application, bot: Bot) -> None:
    app[BOT] = bot
    app[KEY] = (bot.settings.dashboard_secret or secrets.token_hex(32)).encode()
    app[NETWORK] = NetworkCache()
    app.router.add_get("/dashboard/login/{token}", sign_in_form)
    app.router.add_post("/dashboard/login/{token}", sign_in)
    app.router.add_get("/dashboard", guarded(trends_page))
    app.router.add_get("/dashboard/network", guarded(network_page(app[NETWORK])))

"""The dashboard on the bot's aiohttp server: sign in with a one-time link, then read pages.

GET /dashboard/login/{token} shows a sign-in button (link previews must not use the link up);
POST uses it up and sets a signed, short-lived cookie. Each page checks the cookie and that
the person still holds a role that may enter (admin, community manager, HR); each sees the
panels for their role. Reads and exports of individual-level data are written to the audit
log in the same transaction that reads them, cached or not.

Each page is written in its reader's language: the one they chose or their platform says,
else the browser's (Accept-Language), else their workspace's.
"""

import secrets
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from datetime import timedelta

from aiohttp import web
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.app import Bot
from bot.contract.dashboard import Page
from bot.kit.audit import record
from bot.kit.i18n import Text, shipped, speaking
from bot.kit.language import own_language, workspace_language
from bot.models import Person, Workspace
from handlers.dashboard import cookies, export, gather, links, pages
from handlers.dashboard.draw import Drawings
from handlers.dashboard.i18n import N_, _
from handlers.dashboard.settings import dashboard_settings

BOT = web.AppKey("dashboard_bot", Bot)
KEY = web.AppKey("dashboard_key", bytes)
DRAWINGS = web.AppKey("dashboard_drawings", Drawings)
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
SNAPSHOT = {"isolation_level": "REPEATABLE READ"}  # not translated: SQL
REFUSED = {
    "unknown": (
        403,
        N_("This link isn't valid"),
        N_("Ask for a new one with /rapport dashboard."),
    ),
    "used": (
        410,
        N_("This link has already been used"),
        N_("Each link works once. Ask for a new one with /rapport dashboard."),
    ),
    "expired": (
        410,
        N_("This link has expired"),
        N_("Links work for a short while only. Ask for a new one with /rapport dashboard."),
    ),
}


def html(body: str, status: int = 200) -> web.Response:
    return web.Response(text=body, status=status, content_type="text/html", headers=HEADERS)


def refused(reason: str) -> web.Response:
    status, title, text = REFUSED[reason]
    return html(pages.message_page(str(title), str(text)), status)


def browser_language(request: web.Request) -> str | None:
    """The first language of Accept-Language (by its q weights) that Rapport speaks."""
    weighted = []
    for order, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _sep, weight = part.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        language = shipped(tag) if tag != "*" else None
        if language is not None and quality > 0:
            weighted.append((-quality, order, language))
    return min(weighted)[2] if weighted else None


def reader_language(
    request: web.Request, bot: Bot, person: Person | None, workspace: Workspace | None
) -> AbstractContextManager[None]:
    """Speak what the reader reads: their own language, the browser's, the workspace's."""
    own = own_language(person) if person is not None else None
    fallback = workspace_language(workspace, bot.settings) if workspace is not None else "en"
    return speaking(own or browser_language(request) or fallback)


async def sign_in_form(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    async with bot.db.session() as session:
        found = await links.check(session, request.match_info["token"], bot.clock.now())
        if isinstance(found, str):
            with reader_language(request, bot, None, None):
                return refused(found)
        person = await session.get(Person, found.person_id)
        workspace = await session.get(Workspace, found.workspace_id)
        with reader_language(request, bot, person, workspace):
            return html(pages.sign_in_page(request.path))


async def sign_in(request: web.Request) -> web.Response:
    bot = request.app[BOT]
    now = bot.clock.now()
    async with bot.db.session() as session:
        found = await links.redeem(session, request.match_info["token"], now)
        if isinstance(found, str):
            with reader_language(request, bot, None, None):
                return refused(found)
        person = await session.get(Person, found.person_id)
        if not gather.may_enter(person):
            with reader_language(request, bot, person, None):
                return refused("unknown")
        await record(session, found.workspace_id, found.person_id, "dashboard.sign_in", now)
    expires = now + timedelta(minutes=dashboard_settings(bot.settings).session_minutes)
    value = cookies.sign(
        request.app[KEY], cookies.Session(found.workspace_id, found.person_id, expires)
    )
    response = web.Response(status=303, headers={**HEADERS, "Location": "/dashboard"})
    response.set_cookie(
        cookies.NAME,
        value,
        max_age=dashboard_settings(bot.settings).session_minutes * 60,
        path="/dashboard",
        httponly=True,
        samesite="Strict",
        secure=bot.settings.base_url().startswith("https://"),
    )
    return response


def guarded(
    render: Callable[[web.Request, AsyncSession, Workspace, Person, Bot], Awaitable[web.Response]],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """A page for a signed-in reader who may enter; anyone else is told how to get in."""

    async def handle(request: web.Request) -> web.Response:
        bot = request.app[BOT]
        signed = cookies.verify(
            request.app[KEY], request.cookies.get(cookies.NAME, ""), bot.clock.now()
        )
        if signed is None:
            with reader_language(request, bot, None, None):
                return html(
                    pages.message_page(
                        _("Please sign in"), _("Ask the bot for a link with /rapport dashboard.")
                    ),
                    401,
                )
        async with bot.db.session() as session:
            if bot.db.is_postgres:
                # One snapshot for the whole page: its queries (and the network cache's
                # fingerprint of what they read) must not see different commits.
                await session.connection(execution_options=SNAPSHOT)
            person = await session.get(Person, signed.person_id)
            workspace = await session.get(Workspace, signed.workspace_id)
            with reader_language(request, bot, person, workspace):
                if workspace is None or person is None or not gather.may_enter(person):
                    return refused("unknown")
                return await render(request, session, workspace, person, bot)

    return handle


TITLES: dict[Page, Text] = {"trends": N_("Trends"), "network": N_("Network")}
PATHS: dict[Page, tuple[str, str]] = {
    "trends": ("/dashboard", "/dashboard/trends.csv"),
    "network": ("/dashboard/network", "/dashboard/network.csv"),
}


async def _shown(
    request: web.Request,
    session: AsyncSession,
    workspace: Workspace,
    person: Person,
    bot: Bot,
    page: Page,
) -> gather.Shown:
    return await gather.shown(
        session,
        bot.router.features,
        page,
        person,
        workspace,
        bot.settings,
        bot.clock.now(),
        dict(request.query),
    )


def dashboard_page(page: Page) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def render(
        request: web.Request, session: AsyncSession, workspace: Workspace, person: Person, bot: Bot
    ) -> web.Response:
        found = await _shown(request, session, workspace, person, bot, page)
        await gather.audit_reads(session, found, person, page)
        drawings = request.app[DRAWINGS]
        body = pages.dashboard(
            str(TITLES[page]),
            found,
            PATHS[page],
            person.display_name,
            drawings.svg,
            weekly=page == "trends",
        )
        return html(body)

    return guarded(render)


def export_page(page: Page) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def render(
        request: web.Request, session: AsyncSession, workspace: Workspace, person: Person, bot: Bot
    ) -> web.Response:
        found = await _shown(request, session, workspace, person, bot, page)
        await gather.audit_reads(session, found, person, page, export=True)
        name = f"rapport-{page}-{found.view.now.date().isoformat()}.csv"
        return web.Response(
            text=export.text(found),
            content_type="text/csv",
            headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'},
        )

    return guarded(render)


def mount(app: web.Application, bot: Bot) -> None:
    app[BOT] = bot
    app[KEY] = (dashboard_settings(bot.settings).secret or secrets.token_hex(32)).encode()
    app[DRAWINGS] = Drawings()
    app.router.add_get("/dashboard/login/{token}", sign_in_form)
    app.router.add_post("/dashboard/login/{token}", sign_in)
    for page, (path, csv_path) in PATHS.items():
        app.router.add_get(path, dashboard_page(page))
        app.router.add_get(csv_path, export_page(page))

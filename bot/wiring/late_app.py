"""The routes of an application built after the server started: every route but the probes.

`rapport run` binds its port with /healthz and /readyz only (bot/wiring/probes.py), then loads
the features, the platforms and the runtime; the web application they make
(bot/wiring/web.py) is handed to `LateApp.serve` when it is built. aiohttp freezes a router
once it serves, so the late application is reached through one resource of the server's,
resolved in the late application's own router the way aiohttp resolves a sub-application: its
handlers see it as `request.app`, and its middlewares (and its sub-applications', SCIM's token
check) run.

Until then every other request gets a 503 with Retry-After, never a 404: nothing is taken in
that the bot is not ready to handle. Platforms' deliveries are not stored in the intake either:
a Slack signature, a Teams token, Slack's URL verification and a delivery's meaning (the bot
user it mentions) are checked and read by the adapter, which is loading. Slack delivers an
event again after a failed delivery; other callers are told to try again.
"""

from collections.abc import Iterator

from aiohttp import web
from aiohttp.web_urldispatcher import (
    AbstractResource,
    AbstractRoute,
    ResourceRoute,
    UrlMappingMatchInfo,
    _InfoDict,
)
from yarl import URL

RETRY_AFTER_SECONDS = 5
STARTING = "Rapport is starting: its features are loading. Try again in a few seconds."
SCIM_PREFIX = "/scim/v2/"


class LateApp(AbstractResource):
    def __init__(self) -> None:
        super().__init__(name=None)
        self.app: web.Application | None = None
        self._waiting = ResourceRoute("*", _starting, self)

    async def serve(self, app: web.Application) -> None:
        """From now on `app` answers every request but the probes: frozen and started as
        the server's own application would be (`close`, on the server's cleanup, ends it)."""
        app.freeze()
        await app.startup()
        self.app = app

    async def close(self) -> None:
        """End the late application (once), after the server has stopped taking requests."""
        app, self.app = self.app, None
        if app is not None:
            await app.shutdown()
            await app.cleanup()

    @property
    def canonical(self) -> str:
        # Indexed under "/": tried after every route of the server's own (the probes).
        return "/"

    async def resolve(self, request: web.Request) -> tuple[UrlMappingMatchInfo | None, set[str]]:
        if self.app is None:
            return UrlMappingMatchInfo({}, self._waiting), {self._waiting.method}
        match_info = await self.app.router.resolve(request)
        match_info.add_app(self.app)
        allowed: set[str] = set()
        if isinstance(match_info.http_exception, web.HTTPMethodNotAllowed):
            allowed = set(match_info.http_exception.allowed_methods)
        return match_info, allowed

    def url_for(self, *args: str, **kwargs: str) -> URL:
        raise RuntimeError("the late application's routes have their own url_for")

    def add_prefix(self, prefix: str) -> None:
        raise RuntimeError("the late application is not mounted under a prefix")

    def get_info(self) -> _InfoDict:
        return {"prefix": "/"}

    def raw_match(self, path: str) -> bool:
        return False

    def __len__(self) -> int:
        return len(self.app.router.routes()) if self.app is not None else 1

    def __iter__(self) -> Iterator[AbstractRoute]:
        return iter(self.app.router.routes() if self.app is not None else [self._waiting])


async def _starting(request: web.Request) -> web.Response:
    """503 while loading: SCIM's error shape for identity providers, JSON for the platforms'
    and other programs' calls, a line of text for a browser."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith(SCIM_PREFIX):
        scim = {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": "503",
            "detail": STARTING,
        }
        return web.json_response(
            scim, status=503, headers=headers, content_type="application/scim+json"
        )
    if request.method != "GET" or "html" not in request.headers.get("Accept", ""):
        return web.json_response({"error": STARTING}, status=503, headers=headers)
    return web.Response(text=STARTING + "\n", status=503, headers=headers)

"""What the process writes about itself may name routes and hosts, never a secret.

The dashboard's sign-in links carry their one-time token in the path, and Slack's OAuth
redirect carries a code in the query: an access log of raw request lines would let anyone who
reads the logs sign in or finish an install. Database URLs carry a password.
"""

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(a database URL that could not be read)"


def route_of(request: web.BaseRequest) -> str:
    """The route's pattern (`/dashboard/login/{token}`), not the path it matched; a path no
    route matched is cut after its first segment, which may be a mistyped link."""
    match_info = getattr(request, "match_info", None)
    route = getattr(match_info, "route", None)
    resource = getattr(route, "resource", None)
    # "/" for a longer path is the catch-all of a server still loading (bot/wiring/late_app.py).
    if resource is not None and (resource.canonical != "/" or request.path == "/"):
        return str(resource.canonical)
    first = request.path.lstrip("/").split("/", 1)[0]
    return f"/{first}/…" if "/" in request.path.lstrip("/") else f"/{first}"


class RouteAccessLogger(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info("%s %s %s %.3fs", request.method, route_of(request), response.status, time)

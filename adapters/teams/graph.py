"""Microsoft Graph: what Entra ID knows of a tenant's people that Teams does not say.

Read with the app's own permission (client credentials, `User.Read.All` as an application
permission) when GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET are set: each user's department,
office, manager and whether their account is enabled. Job titles are not read: no feature
uses them, so the directory does not keep them.

The token comes from a plain OAuth 2.0 client-credentials request to Entra ID rather than
through MSAL, whose client is synchronous (it would hold up the event loop for the length of
a request) and refuses any authority that is not https. Users are listed a page at a time,
following `@odata.nextLink`; a 429 is waited out for its Retry-After and the same page asked
again; a manager Graph does not have (404) is no manager.

Between those full reads, the scheduled refresh asks only for what changed (`delta`, Graph's
delta query on /users): one round of pages ends with a `@odata.deltaLink`, which the next
round starts from. A changed user comes with the properties that changed (an emptied one as
null) and their manager, when it changed, as `manager@delta`; a deleted user is `@removed`.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import aiohttp

from adapters.teams.settings import teams_settings
from bot.wiring.config import Settings

log = logging.getLogger(__name__)

SCOPE = "https://graph.microsoft.com/.default"
SELECT = "id,mail,userPrincipalName,department,officeLocation,accountEnabled"
# The delta query gives each user's manager as `manager@delta`, sparing a request per user.
DELTA_SELECT = SELECT + ",manager"
# Graph's property -> the directory field it tells of.
FIELDS_SAID = {
    "mail": "email",
    "userPrincipalName": "email",
    "department": "department",
    "officeLocation": "location",
    "accountEnabled": "active",
}
PAGE = 999
MAX_RETRIES = 5
MAX_WAIT_SECONDS = 300.0
# A token is asked for again this long before Entra ID says it expires.
TOKEN_MARGIN_SECONDS = 300.0

Sleep = Callable[[float], Awaitable[None]]


class GraphUnavailable(Exception):
    """Entra ID refused a token, or Graph kept failing: the directory stays as it is."""


class DeltaExpired(GraphUnavailable):
    """Graph no longer knows the state a deltaLink points to (410): a new round is due."""


@dataclass(frozen=True)
class GraphUser:
    id: str
    email: str | None
    department: str | None
    office: str | None
    enabled: bool
    manager: str | None = None


@dataclass(frozen=True)
class GraphChange:
    """A user as a delta round tells of them: `said` names the directory fields it gave a
    value (perhaps none) for; the others did not change. A deleted user has left."""

    user: GraphUser
    said: frozenset[str]


@dataclass(frozen=True)
class Delta:
    changes: list[GraphChange]
    # Where the next round starts: the changes after this one.
    link: str


def _user(raw: dict[str, Any]) -> GraphUser:
    email = raw.get("mail") or raw.get("userPrincipalName")
    return GraphUser(
        id=str(raw["id"]),
        email=str(email).lower() if email and "@" in str(email) else None,
        department=raw.get("department") or None,
        office=raw.get("officeLocation") or None,
        enabled=raw.get("accountEnabled") is not False,
    )


def _change(raw: dict[str, Any]) -> GraphChange:
    said = {FIELDS_SAID[name] for name in raw if name in FIELDS_SAID}
    user = _user(raw)
    managers = raw.get("manager@delta")
    if managers is not None:
        said.add("manager")
        current = [m for m in managers if "@removed" not in m and m.get("id")]
        user = replace(user, manager=str(current[0]["id"]) if current else None)
    if "@removed" in raw:
        said.add("active")
        user = replace(user, enabled=False)
    return GraphChange(user, frozenset(said))


class Graph:
    def __init__(self, settings: Settings, sleep: Sleep = asyncio.sleep) -> None:
        teams = teams_settings(settings)
        self.base = teams.graph_base_url.rstrip("/")
        self.login = teams.graph_login_url.rstrip("/")
        self.tenant = teams.graph_tenant_id
        self.client_id = teams.graph_client_id
        self.secret = teams.graph_client_secret
        self.sleep = sleep
        self._tokens: dict[str, tuple[float, str]] = {}

    def serves(self, tenant: str) -> bool:
        """Credentials are set, for this tenant (GRAPH_TENANT_ID) or any that consented."""
        configured = bool(self.client_id and self.secret)
        return configured and self.tenant in ("", tenant)

    async def users(self, tenant: str, wanted: set[str]) -> list[GraphUser]:
        """The users of `tenant` whose object ids are `wanted`, each with their manager's,
        from a listing of every user a page at a time."""
        async with aiohttp.ClientSession() as http:
            return await self._with_managers(http, tenant, await self._listed(http, tenant, wanted))

    async def some(self, tenant: str, wanted: set[str]) -> list[GraphUser]:
        """The same for a few users (people just added to a team), asked for one by one."""
        async with aiohttp.ClientSession() as http:
            found = [await self._one(http, tenant, user) for user in sorted(wanted)]
            listed = [user for user in found if user is not None]
            return await self._with_managers(http, tenant, listed)

    async def delta(self, tenant: str, link: str | None) -> Delta:
        """The users changed since the round that gave `link`; without one, or when Graph
        no longer knows it, every user, as the start of a new round."""
        async with aiohttp.ClientSession() as http:
            if link is not None:
                try:
                    return await self._round(http, tenant, link)
                except DeltaExpired:
                    log.info("microsoft graph delta for %s expired: reading everyone", tenant)
            return await self._round(
                http, tenant, f"{self.base}/users/delta?$select={DELTA_SELECT}"
            )

    async def _round(self, http: aiohttp.ClientSession, tenant: str, url: str) -> Delta:
        changes: list[GraphChange] = []
        while True:
            page = await self._get(http, tenant, url) or {}
            changes += [_change(raw) for raw in page.get("value") or [] if raw.get("id")]
            following = page.get("@odata.nextLink")
            if not following:
                break
            url = following
        link = page.get("@odata.deltaLink")
        if not link:
            raise GraphUnavailable("Microsoft Graph ended a delta round without a deltaLink")
        return Delta(changes, str(link))

    async def _with_managers(
        self, http: aiohttp.ClientSession, tenant: str, users: list[GraphUser]
    ) -> list[GraphUser]:
        return [replace(user, manager=await self._manager(http, tenant, user.id)) for user in users]

    async def _one(self, http: aiohttp.ClientSession, tenant: str, user: str) -> GraphUser | None:
        raw = await self._get(http, tenant, f"{self.base}/users/{user}?$select={SELECT}")
        return _user(raw) if raw and raw.get("id") else None

    async def _listed(
        self, http: aiohttp.ClientSession, tenant: str, wanted: set[str]
    ) -> list[GraphUser]:
        found: list[GraphUser] = []
        url: str | None = f"{self.base}/users?$select={SELECT}&$top={PAGE}"
        while url:
            page = await self._get(http, tenant, url) or {}
            found += [_user(raw) for raw in page.get("value") or [] if raw.get("id") in wanted]
            url = page.get("@odata.nextLink")
        return found

    async def _manager(self, http: aiohttp.ClientSession, tenant: str, user: str) -> str | None:
        boss = await self._get(http, tenant, f"{self.base}/users/{user}/manager?$select=id")
        return str(boss["id"]) if boss and boss.get("id") else None

    async def _get(
        self, http: aiohttp.ClientSession, tenant: str, url: str
    ) -> dict[str, Any] | None:
        """The body of a GET, or None for a 404."""
        for attempt in range(MAX_RETRIES + 1):
            token = await self._token(http, tenant)
            headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            async with http.get(url, headers=headers) as response:
                if response.status == 404:
                    return None
                if response.status == 410:
                    raise DeltaExpired("Microsoft Graph no longer knows that delta state")
                if response.status == 401 and attempt == 0:
                    self._tokens.pop(tenant, None)  # revoked or expired early: a new one
                    continue
                wait = _retry_after(response)
                if wait is not None and attempt < MAX_RETRIES and wait <= MAX_WAIT_SECONDS:
                    log.info("microsoft graph rate limited for %s: again in %.0fs", tenant, wait)
                    await self.sleep(wait)
                    continue
                if response.status != 200:
                    raise GraphUnavailable(f"Microsoft Graph answered {response.status}")
                body: dict[str, Any] = await response.json(content_type=None)
                return body
        raise GraphUnavailable("Microsoft Graph kept refusing")

    async def _token(self, http: aiohttp.ClientSession, tenant: str) -> str:
        cached = self._tokens.get(tenant)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.secret,
            "scope": SCOPE,
        }
        async with http.post(f"{self.login}/{tenant}/oauth2/v2.0/token", data=form) as response:
            body = await response.json(content_type=None)
            if response.status != 200 or not isinstance(body, dict) or "access_token" not in body:
                error = body.get("error") if isinstance(body, dict) else None
                raise GraphUnavailable(f"Entra ID refused a token ({response.status} {error})")
        lifetime = float(body.get("expires_in", 3600))
        expires = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 0.0)
        self._tokens[tenant] = (expires, str(body["access_token"]))
        return str(body["access_token"])


def _retry_after(response: aiohttp.ClientResponse) -> float | None:
    """Seconds to wait before asking again, for a 429 or 503 (Graph throttles with both)."""
    if response.status not in (429, 503):
        return None
    try:
        return max(float(response.headers.get("Retry-After", "1")), 0.0)
    except ValueError:
        return 1.0

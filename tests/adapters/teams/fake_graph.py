"""A local Microsoft Graph and Entra ID token endpoint, shaped as Microsoft documents them.

- POST /{tenant}/oauth2/v2.0/token: the client-credentials grant; a wrong secret is refused
  with `invalid_client`.
- GET /v1.0/users: `$select`ed fields only, `$top` at most `page` a time, the next page as
  `@odata.nextLink` (a `$skiptoken`).
- GET /v1.0/users/{id}: one user, `$select`ed, or 404 `Request_ResourceNotFound`.
- GET /v1.0/users/{id}/manager: the manager, or 404 `Request_ResourceNotFound`.
- GET /v1.0/users/delta: a delta round. Without `$deltatoken`, every user; with one, those
  that changed since the round that gave it, with the properties that changed only (an
  emptied one as null), `manager@delta` when the manager changed (`@removed` on the old one
  when there is none now), and `{"id", "@removed"}` for a deleted user. Pages follow
  `@odata.nextLink` (`$skiptoken`); the last one carries `@odata.deltaLink`. A token in
  `expired` answers 410, as Graph does for a state it no longer keeps.

Each GET needs a token the fake issued. The GETs numbered in `throttled` (1 is the first)
answer 429 with `Retry-After`, as Graph throttles.
"""

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

SECRET = "graph-client-secret"
CLIENT = "11111111-2222-3333-4444-555555555555"


@dataclass
class FakeGraph:
    users: list[dict[str, Any]] = field(default_factory=list)
    # user id -> their manager's id
    managers: dict[str, str] = field(default_factory=dict)
    page: int = 2
    throttled: set[int] = field(default_factory=set)
    retry_after: str = "7"
    # (method, path with query) of every request
    calls: list[tuple[str, str]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    expired: set[str] = field(default_factory=set)
    # What each delta round saw (its token is the index), and each round's items to page.
    _seen: list[dict[str, dict[str, Any]]] = field(default_factory=list)
    _rounds: list[list[dict[str, Any]]] = field(default_factory=list)
    _selected: list[list[str]] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_get("/v1.0/users", self._users)
        app.router.add_get("/v1.0/users/delta", self._delta)
        app.router.add_get("/v1.0/users/{uid}", self._user)
        app.router.add_get("/v1.0/users/{uid}/manager", self._manager)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def gets(self) -> list[str]:
        return [path for method, path in self.calls if method == "GET"]

    async def _token(self, request: web.Request) -> web.Response:
        self.calls.append(("POST", request.path_qs))
        form = await request.post()
        if form.get("client_secret") != SECRET or form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "invalid_client"}, status=401)
        token = f"graph-token-{len(self.tokens) + 1}"
        self.tokens.append(token)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3599, "access_token": token}
        )

    def _refused(self, request: web.Request) -> web.Response | None:
        self.calls.append(("GET", request.path_qs))
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            return web.json_response({"error": {"code": "InvalidAuthenticationToken"}}, status=401)
        if len(self.gets()) in self.throttled:
            return web.json_response(
                {"error": {"code": "TooManyRequests"}},
                status=429,
                headers={"Retry-After": self.retry_after},
            )
        return None

    async def _users(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        selected = request.query.get("$select", "").split(",")
        start = int(request.query.get("$skiptoken", "0"))
        count = min(int(request.query.get("$top", "100")), self.page)
        page = [
            {name: user[name] for name in selected if name in user}
            for user in self.users[start : start + count]
        ]
        body: dict[str, Any] = {"value": page}
        if start + count < len(self.users):
            following = request.url.update_query({"$skiptoken": str(start + count)})
            body["@odata.nextLink"] = str(following)
        return web.json_response(body)

    async def _user(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        selected = request.query.get("$select", "").split(",")
        found = next((u for u in self.users if u["id"] == request.match_info["uid"]), None)
        if found is None:
            return web.json_response({"error": {"code": "Request_ResourceNotFound"}}, status=404)
        return web.json_response({name: found[name] for name in selected if name in found})

    async def _manager(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        boss = self.managers.get(request.match_info["uid"])
        if boss is None:
            return web.json_response({"error": {"code": "Request_ResourceNotFound"}}, status=404)
        return web.json_response({"id": boss})

    def _state(self, selected: list[str]) -> dict[str, dict[str, Any]]:
        return {
            user["id"]: {
                **{name: user.get(name) for name in selected if name not in ("id", "manager")},
                "manager": self.managers.get(user["id"]),
            }
            for user in self.users
        }

    def _items(
        self, before: dict[str, dict[str, Any]] | None, now: dict[str, dict[str, Any]]
    ) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for uid, state in now.items():
            old = (before or {}).get(uid, {})
            item: dict[str, Any] = {"id": uid}
            item |= {k: v for k, v in state.items() if k != "manager" and old.get(k) != v}
            if state["manager"] and old.get("manager") != state["manager"]:
                user = {"@odata.type": "#microsoft.graph.user", "id": state["manager"]}
                item["manager@delta"] = [user]
            elif old.get("manager") and not state["manager"]:
                item["manager@delta"] = [{"id": old["manager"], "@removed": {"reason": "deleted"}}]
            if before is None or len(item) > 1:
                items.append(item)
        items += [
            {"id": uid, "@removed": {"reason": "changed"}} for uid in before or {} if uid not in now
        ]
        return items

    async def _delta(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        token = request.query.get("$deltatoken")
        if token in self.expired:
            return web.json_response({"error": {"code": "syncStateNotFound"}}, status=410)
        skip = request.query.get("$skiptoken")
        if skip is None:
            # A deltaLink carries the first round's $select, as Graph encodes it in the token.
            selected = self._selected[int(token)] if token is not None else None
            selected = selected or request.query.get("$select", "id").split(",")
            before = self._seen[int(token)] if token is not None else None
            self._selected.append(selected)
            self._seen.append(self._state(selected))
            self._rounds.append(self._items(before, self._seen[-1]))
            skip = f"{len(self._rounds) - 1}.0"
        number, start = (int(part) for part in skip.split("."))
        items = self._rounds[number]
        body: dict[str, Any] = {"value": items[start : start + self.page]}
        base = request.url.with_query({})
        if start + self.page < len(items):
            body["@odata.nextLink"] = str(
                base.with_query({"$skiptoken": f"{number}.{start + self.page}"})
            )
        else:
            body["@odata.deltaLink"] = str(base.with_query({"$deltatoken": str(number)}))
        return web.json_response(body)
